package io.ordersaga.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.ordersaga.events.Replication;
import io.ordersaga.events.Topic;
import io.ordersaga.events.TopicCatalogue;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The Kafka the one-command run starts, started the same way: from the jars, each node a
 * process of its own.
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

	/**
	 * Three nodes give every topic created without a replication factor three replicas,
	 * two of which must have a write; a node whose partition data is lost starts again
	 * empty and copies its replicas back, and no record is lost.
	 */
	@Test
	void threeNodesReplicateEveryTopicAndANodeThatLostItsDiskCopiesItsReplicasBack() throws Exception {
		int port = RunScript.freePorts(6);
		try (LocalKafkaCluster kafka = start(3, port); Admin admin = admin(kafka)) {
			assertThat(kafka.bootstrapServers())
				.isEqualTo("localhost:%d,localhost:%d,localhost:%d".formatted(port, port + 2, port + 4));
			TopicCatalogue.create(admin, TopicCatalogue.entries(), Replication.CLUSTER_DEFAULTS,
					Duration.ofSeconds(30));
			Set<String> topics = TopicCatalogue.entries()
				.stream()
				.map(TopicCatalogue.Entry::name)
				.collect(Collectors.toSet());
			// Every node learns of new topics from the controller, a moment after they
			// are created.
			await().atMost(TIMEOUT).ignoreExceptions().untilAsserted(() -> {
				assertThat(replicas(admin, topics)).containsOnly(3);
				assertThat(minInsyncReplicas(admin, topics)).containsOnly("2");
			});

			String topic = Topic.PAYMENTS.topicName();
			send(kafka, topic, 0, 300);
			kafka.node(2).process().destroyForcibly().waitFor();
			SuiteRunner.deleteRecursively(kafka.logDir(2));
			send(kafka, topic, 300, 600);
			kafka.restart(2, TIMEOUT);

			await().atMost(TIMEOUT)
				.untilAsserted(() -> assertThat(describe(admin, topics).values()
					.stream()
					.flatMap((description) -> description.partitions().stream())
					.map((partition) -> partition.isr().size())).containsOnly(3));
			// Node 2's new log directory holds a copy of every partition, caught up.
			Map<TopicPartition, ReplicaInfo> copies = admin.describeLogDirs(List.of(2))
				.allDescriptions()
				.get(30, TimeUnit.SECONDS)
				.get(2)
				.values()
				.stream()
				.flatMap((logDir) -> logDir.replicaInfos().entrySet().stream())
				.filter((replica) -> topics.contains(replica.getKey().topic()))
				.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
			assertThat(copies)
				.hasSize(TopicCatalogue.entries().stream().mapToInt(TopicCatalogue.Entry::partitions).sum());
			assertThat(copies.values()).allSatisfy((copy) -> assertThat(copy.offsetLag()).isZero());
			assertThat(copies.entrySet()
				.stream()
				.filter((copy) -> copy.getKey().topic().equals(topic))
				.mapToLong((copy) -> copy.getValue().size())
				.sum()).isPositive();
			assertThat(read(kafka, topic)).hasSize(600).doesNotHaveDuplicates();
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

	private static List<String> minInsyncReplicas(Admin admin, Collection<String> topics) throws Exception {
		Map<ConfigResource, Config> configs = admin
			.describeConfigs(
					topics.stream().map((name) -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList())
			.all()
			.get(30, TimeUnit.SECONDS);
		return configs.values().stream().map((config) -> config.get("min.insync.replicas").value()).toList();
	}

	private static void send(LocalKafkaCluster kafka, String topic, int from, int to) throws Exception {
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map
			.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
				new StringSerializer(), new StringSerializer())) {
			for (int i = from; i < to; i++) {
				producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i)).get(30, TimeUnit.SECONDS);
			}
		}
	}

	private static List<String> read(LocalKafkaCluster kafka, String topic) {
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()), new StringDeserializer(),
				new StringDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic)
				.stream()
				.map((info) -> new TopicPartition(topic, info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
			List<String> values = new ArrayList<>();
			while (partitions.stream().anyMatch((partition) -> consumer.position(partition) < end.get(partition))) {
				ConsumerRecords<String, String> records = consumer.poll(Duration.ofSeconds(1));
				records.forEach((record) -> values.add(record.value()));
			}
			return values;
		}
	}

}
