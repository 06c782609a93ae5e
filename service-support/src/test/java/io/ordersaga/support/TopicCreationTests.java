package io.ordersaga.support;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.ordersaga.kafka.test.TestKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

import org.springframework.context.support.GenericApplicationContext;
import org.springframework.kafka.core.KafkaAdmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Topics the application declares come to exist even when the first attempt fails. */
class TopicCreationTests {

	@Test
	void triesAgainUntilEveryDeclaredTopicExists() throws Exception {
		String topic = TestKafkaBroker.uniqueName("created-later");
		AtomicInteger attempts = new AtomicInteger();
		// As when the broker answers too slowly while several services start at once: the
		// first two attempts fail.
		KafkaAdmin admin = new KafkaAdmin(
				Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafkaBroker.bootstrapServers())) {

			@Override
			protected Admin createAdmin() {
				if (attempts.incrementAndGet() <= 2) {
					throw new TimeoutException("Timed out waiting for a node assignment");
				}
				return super.createAdmin();
			}

		};
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			context.registerBean(NewTopic.class, () -> new NewTopic(topic, 2, (short) 1));
			context.refresh();
			admin.setApplicationContext(context);
			TopicCreation creation = new TopicCreation(admin);
			assertThat(creation.isDone()).isFalse();

			creation.start();
			try {
				await().until(creation::isDone);
			}
			finally {
				creation.stop();
			}
			assertThat(attempts).hasValue(3);
			try (Admin client = Admin
				.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafkaBroker.bootstrapServers()))) {
				assertThat(client.describeTopics(List.of(topic))
					.allTopicNames()
					.get(30, TimeUnit.SECONDS)
					.get(topic)
					.partitions()).hasSize(2);
			}
		}
	}

}
