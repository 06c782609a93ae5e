package io.ordersaga.order;

import io.ordersaga.order.core.OrderStatus;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.PaymentAuthorized;
import io.ordersaga.events.PaymentDeclined;
import io.ordersaga.events.DeclineReason;
import io.ordersaga.kafka.test.TestKafkaBroker;
import io.ordersaga.order.view.OrderView;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * order-service as separate instances of the application on one broker: state survives a
 * stop and start, and any instance answers for any order. These tests run in a JVM of
 * their own (see the build), so that no other instance is in their consumer group.
 */
class OrderServiceInstancesTests {

	@TempDir
	Path stateDirs;

	@Test
	void aRestartedInstanceGetsItsSagaStateBackFromKafka() throws Exception {
		UUID confirmed;
		UUID pending;
		try (ConfigurableApplicationContext first = start("first")) {
			RestClient http = client(first);
			confirmed = place(http);
			EventEnvelope<OrderPlaced> placed = TestEvents.orderPlaced(confirmed);
			TestEvents.publish(placed.causes("/payment-service", new PaymentAuthorized(placed.data().customerId(),
					placed.data().total(), placed.data().currency())));
			awaitStatus(http, confirmed, OrderStatus.CONFIRMED);
			pending = place(http);
			awaitSagaCommittedPast(TestEvents.orderPlacedRecord(pending));
		}
		assertThat(TestEvents.eventsOf(pending)).extracting((event) -> event.type().token())
			.containsExactly("OrderPlaced");

		// A fresh state directory, and the group's offsets past the pending order's
		// OrderPlaced: the only way this instance can know of the order is the saga
		// state's changelog, and it has to time the order out.
		try (ConfigurableApplicationContext second = start("second")) {
			RestClient http = client(second);
			awaitStatus(http, pending, OrderStatus.CANCELLED);
			assertThat(get(http, pending).cancellationReason()).isEqualTo("PAYMENT_TIMEOUT");
			assertThat(get(http, confirmed).status()).isEqualTo(OrderStatus.CONFIRMED);

			EventEnvelope<OrderPlaced> placed = TestEvents.orderPlaced(confirmed);
			TestEvents.publish(placed.causes("/payment-service", new PaymentDeclined(placed.data().customerId(),
					DeclineReason.INSUFFICIENT_FUNDS, placed.data().total(), placed.data().currency())));
			UUID later = place(http);
			awaitStatus(http, later, OrderStatus.CANCELLED);
			assertThat(get(http, confirmed).status()).isEqualTo(OrderStatus.CONFIRMED);
		}
	}

	/**
	 * Waits until the saga has committed its progress past a record of {@code orders}.
	 */
	private static void awaitSagaCommittedPast(ConsumerRecord<String, byte[]> record) throws Exception {
		TopicPartition partition = new TopicPartition(record.topic(), record.partition());
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafkaBroker.bootstrapServers()))) {
			await().atMost(TestEvents.WAIT).until(() -> {
				OffsetAndMetadata committed = admin.listConsumerGroupOffsets("order-service")
					.partitionsToOffsetAndMetadata()
					.get(10, TimeUnit.SECONDS)
					.get(partition);
				return committed != null && committed.offset() > record.offset();
			});
		}
	}

	@Test
	void anyInstanceAnswersForAnOrderPlacedThroughAnother() {
		try (ConfigurableApplicationContext one = start("one"); ConfigurableApplicationContext two = start("two")) {
			RestClient first = client(one);
			RestClient second = client(two);
			for (int i = 0; i < 10; i++) {
				UUID orderId = place((i % 2 == 0) ? first : second);
				assertThat(get((i % 2 == 0) ? second : first, orderId).orderId()).isEqualTo(orderId);
			}
			// An idempotency key holds across instances: no local map remembers it.
			String key = UUID.randomUUID().toString();
			String body = orderBody();
			ResponseEntity<OrderView> placed = placeWithKey(first, key, body);
			ResponseEntity<OrderView> retried = placeWithKey(second, key, body);
			assertThat(retried.getBody().orderId()).isEqualTo(placed.getBody().orderId());
			assertThat(placed.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("false");
			assertThat(retried.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
		}
	}

	private ConfigurableApplicationContext start(String name) {
		return new SpringApplicationBuilder(OrderServiceApplication.class).run("--server.port=0",
				"--spring.kafka.bootstrap-servers=" + TestKafkaBroker.bootstrapServers(),
				"--spring.kafka.streams.state-dir=" + this.stateDirs.resolve(name + "-" + UUID.randomUUID()),
				"--ordersaga.saga.payment-timeout=10s", "--ordersaga.saga.payment-silence=10s",
				"--ordersaga.saga.timeout-check-interval=200ms");
	}

	private static RestClient client(ConfigurableApplicationContext context) {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		return RestClient.builder().baseUrl("http://localhost:" + port).build();
	}

	private static UUID place(RestClient http) {
		return http.post()
			.uri("/orders")
			.contentType(MediaType.APPLICATION_JSON)
			.body(orderBody())
			.retrieve()
			.body(OrderView.class)
			.orderId();
	}

	private static ResponseEntity<OrderView> placeWithKey(RestClient http, String key, String body) {
		return http.post()
			.uri("/orders")
			.contentType(MediaType.APPLICATION_JSON)
			.header("Idempotency-Key", key)
			.body(body)
			.retrieve()
			.toEntity(OrderView.class);
	}

	private static String orderBody() {
		return """
				{"customerId":"%s","currency":"EUR","items":[{"sku":"BOOK-1","quantity":1,"unitPrice":9.99}]}"""
			.formatted(TestKafkaBroker.uniqueName("customer"));
	}

	private static OrderView get(RestClient http, UUID orderId) {
		return http.get().uri("/orders/{id}", orderId).retrieve().body(OrderView.class);
	}

	private static void awaitStatus(RestClient http, UUID orderId, OrderStatus status) {
		await().atMost(TestEvents.WAIT).until(() -> get(http, orderId).status() == status);
	}

}
