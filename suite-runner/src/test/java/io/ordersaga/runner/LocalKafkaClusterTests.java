package io.ordersaga.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.ordersaga.events.Replication;
import io.ordersaga.events.Topic;
import io.ordersaga.events.TopicCatalogue;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The Kafka the one-command run starts, started the same way: from the jars, each node a
 * process of its own. A three-node cluster, and a node that lost its disk, are tested
 * under load in {@link ClusterFaultsIT}, on the cluster {@code ./run --brokers 3} starts.
 */
class LocalKafkaClusterTests {

	private static final Duration TIMEOUT = Duration.ofMinutes(2);

	@TempDir
	Path dir;

	@Test
	void oneNodeStartsFromTheJarsAndKeepsItsDataAcrossRestarts() throws Exception {
		int port = RunScript.freePorts(2);
		try (LocalKafkaCluster kafka = start(1, port); Admin admin = admin(kafka)) {
			TopicCatalogue.create(admin, List.of(TopicCatalogue.entry(Topic.ORDERS.topicName())),
					Replication.CLUSTER_DEFAULTS, Duration.ofSeconds(30));
			await().atMost(TIMEOUT)
				.ignoreExceptions()
				.untilAsserted(() -> assertThat(replicas(admin, Set.of(Topic.ORDERS.topicName()))).containsOnly(1));
		}

		try (LocalKafkaCluster kafka = start(1, port); Admin admin = admin(kafka)) {
			assertThat(kafka.bootstrapServers()).isEqualTo("localhost:" + port);
			assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(Topic.ORDERS.topicName());
			assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
				.isEqualTo(LocalKafkaCluster.SINGLE_NODE_CLUSTER_ID);
		}
	}

	@Test
	void refusesPortsThatOverlap() {
		assertThatIllegalStateException().isThrownBy(() -> LocalKafkaCluster.ports(3, 9092, 9094))
			.withMessageContaining("overlapping ports");
		assertThat(LocalKafkaCluster.ports(3, 9092, 9093)).containsOnlyKeys(9092, 9093, 9094, 9095, 9096, 9097);
	}

	private LocalKafkaCluster start(int size, int port) {
		return LocalKafkaCluster.start(this.dir.resolve("data"), size, port, port + 1, this.dir.resolve("logs"),
				TIMEOUT);
	}

	private static Admin admin(LocalKafkaCluster kafka) {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
	}

	private static Map<String, TopicDescription> describe(Admin admin, Collection<String> topics) throws Exception {
		return admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
	}

	private static List<Integer> replicas(Admin admin, Collection<String> topics) throws Exception {
		return describe(admin, topics).values()
			.stream()
			.flatMap((description) -> description.partitions().stream())
			.map((partition) -> partition.replicas().size())
			.toList();
	}

}
