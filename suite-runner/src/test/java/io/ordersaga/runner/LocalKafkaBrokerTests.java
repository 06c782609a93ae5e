package io.ordersaga.runner;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.ordersaga.events.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker the one-command run starts, started the same way: from the jars, as a
 * process.
 */
class LocalKafkaBrokerTests {

	@TempDir
	Path dir;

	@Test
	void startsFromTheJarsAndKeepsItsDataAcrossRestarts() throws Exception {
		int port = freePort();
		int controllerPort = freePort();
		Path data = this.dir.resolve("kafka");
		Path log = this.dir.resolve("logs/kafka.log");

		try (LocalKafkaBroker broker = LocalKafkaBroker.start(data, port, controllerPort, log,
				Duration.ofSeconds(60))) {
			try (Admin admin = admin(broker)) {
				admin
					.createTopics(List.of(new NewTopic(Topic.ORDERS.topicName(), Topic.ORDERS.partitions(), (short) 1)))
					.all()
					.get(30, TimeUnit.SECONDS);
			}
		}

		try (LocalKafkaBroker broker = LocalKafkaBroker.start(data, port, controllerPort, log, Duration.ofSeconds(60));
				Admin admin = admin(broker)) {
			assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains(Topic.ORDERS.topicName());
			assertThat(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
				.isEqualTo(LocalKafkaBroker.CLUSTER_ID);
		}
	}

	private static Admin admin(LocalKafkaBroker broker) {
		return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
