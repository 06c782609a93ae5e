package io.ordersaga.order;

import java.nio.file.Path;
import java.util.UUID;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.PaymentAuthorized;
import io.ordersaga.events.PaymentDeclined;
import io.ordersaga.events.DeclineReason;
import io.ordersaga.kafka.test.TestKafkaBroker;
import io.ordersaga.order.view.OrderView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * order-service as separate instances of the application on one broker: state survives a
 * stop and start, and any instance answers for any order.
 */
class OrderServiceInstancesTests {

	@TempDir
	Path stateDirs;

	@Test
	void anInstanceStartedLaterRebuildsOrdersAndSagaStateFromKafka() {
		UUID orderId;
		try (ConfigurableApplicationContext first = start("first")) {
			RestClient http = client(first);
			orderId = place(http);
			EventEnvelope<OrderPlaced> placed = TestEvents.orderPlaced(orderId);
			TestEvents.publish(placed.causes("/payment-service", new PaymentAuthorized(placed.data().customerId(),
					placed.data().total(), placed.data().currency())));
			awaitStatus(http, orderId, OrderStatus.CONFIRMED);
		}

		// A fresh state directory: the saga state must come back from its changelog
		// topic.
		try (ConfigurableApplicationContext second = start("second")) {
			RestClient http = client(second);
			assertThat(get(http, orderId).status()).isEqualTo(OrderStatus.CONFIRMED);

			EventEnvelope<OrderPlaced> placed = TestEvents.orderPlaced(orderId);
			TestEvents.publish(placed.causes("/payment-service", new PaymentDeclined(placed.data().customerId(),
					DeclineReason.INSUFFICIENT_FUNDS, placed.data().total(), placed.data().currency())));
			UUID later = place(http);
			awaitStatus(http, later, OrderStatus.CANCELLED);
			assertThat(get(http, orderId).status()).isEqualTo(OrderStatus.CONFIRMED);
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
		}
	}

	private ConfigurableApplicationContext start(String name) {
		return new SpringApplicationBuilder(OrderServiceApplication.class).run("--server.port=0",
				"--spring.kafka.bootstrap-servers=" + TestKafkaBroker.bootstrapServers(),
				"--spring.kafka.streams.state-dir=" + this.stateDirs.resolve(name + "-" + UUID.randomUUID()),
				"--ordersaga.saga.payment-timeout=3s", "--ordersaga.saga.timeout-check-interval=200ms");
	}

	private static RestClient client(ConfigurableApplicationContext context) {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		return RestClient.builder().baseUrl("http://localhost:" + port).build();
	}

	private static UUID place(RestClient http) {
		String body = """
				{"customerId":"%s","currency":"EUR","items":[{"sku":"BOOK-1","quantity":1,"unitPrice":9.99}]}"""
			.formatted(TestKafkaBroker.uniqueName("customer"));
		return http.post()
			.uri("/orders")
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.retrieve()
			.body(OrderView.class)
			.orderId();
	}

	private static OrderView get(RestClient http, UUID orderId) {
		return http.get().uri("/orders/{id}", orderId).retrieve().body(OrderView.class);
	}

	private static void awaitStatus(RestClient http, UUID orderId, OrderStatus status) {
		await().atMost(TestEvents.WAIT).until(() -> get(http, orderId).status() == status);
	}

}
