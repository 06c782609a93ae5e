package io.ordersaga.order;

import io.ordersaga.order.core.OrderStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.PaymentAuthorized;
import io.ordersaga.kafka.test.ReadmeExamples;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the README's curl examples for order-service, in order, against a running
 * instance, and checks each response against the status line, headers and body the README
 * shows. The test plays payment-service: the README reads its order once it is confirmed.
 */
@OrderServiceIntegrationTest
class ReadmeExamplesTests {

	/** The order the README places for alice. */
	private static final UUID README_ORDER = UUID.fromString("ea6da951-57da-338c-96bd-08291020706e");

	@LocalServerPort
	private int port;

	@Autowired
	private RestTestClient http;

	@Test
	void everyOrderServiceExampleAnswersAsTheReadmeShows() {
		List<ReadmeExamples.Example> examples = ReadmeExamples.calling(Path.of("../README.md"), "localhost:8081");
		assertThat(examples).hasSizeGreaterThanOrEqualTo(7);
		boolean paid = false;
		for (ReadmeExamples.Example example : examples) {
			if (!paid && example.command().startsWith("curl -i http://localhost:8081/orders/" + README_ORDER)) {
				authorizePayment();
				paid = true;
			}
			assertThat(example.mismatches("localhost:8081", "localhost:" + this.port)).isEmpty();
		}
		assertThat(paid).as("the README reads its order").isTrue();
	}

	private void authorizePayment() {
		EventEnvelope<OrderPlaced> placed = TestEvents.orderPlaced(README_ORDER);
		TestEvents.publish(placed.causes("/payment-service",
				new PaymentAuthorized(placed.data().customerId(), placed.data().total(), placed.data().currency())));
		TestEvents.awaitStatus(this.http, README_ORDER, OrderStatus.CONFIRMED);
	}

}
