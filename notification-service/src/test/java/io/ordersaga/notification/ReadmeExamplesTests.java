package io.ordersaga.notification;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.LineItem;
import io.ordersaga.events.OrderConfirmed;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.kafka.test.ReadmeExamples;
import io.ordersaga.kafka.test.UseTestKafkaBroker;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the README's curl examples for notification-service against a running instance
 * with a webhook, after the README's order for alice was confirmed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.kafka.streams.state-dir=${java.io.tmpdir}/notification-service-tests/${random.uuid}")
@AutoConfigureRestTestClient
@UseTestKafkaBroker
class ReadmeExamplesTests {

	/** The order the README places for alice. */
	private static final UUID README_ORDER = UUID.fromString("ea6da951-57da-338c-96bd-08291020706e");

	private static final Currency EUR = Currency.getInstance("EUR");

	static final TestWebhook webhook = new TestWebhook();

	@DynamicPropertySource
	static void webhook(DynamicPropertyRegistry registry) {
		registry.add("ordersaga.notifications.webhook-url", webhook::url);
	}

	@LocalServerPort
	private int port;

	@Autowired
	private RestTestClient http;

	@Test
	void everyNotificationServiceExampleAnswersAsTheReadmeShows() {
		EventEnvelope<OrderPlaced> placed = EventEnvelope.first("/order-service", README_ORDER,
				OrderPlaced.of("alice", EUR, List.of(new LineItem("BOOK-1", 2, new BigDecimal("12.50")))));
		NotificationIntegrationTests
			.publish(placed.causes("/order-service", new OrderConfirmed("alice", new BigDecimal("25.00"), EUR)));
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.http.get()
				.uri("/notifications?customerId=alice")
				.exchange()
				.returnResult(String.class)
				.getResponseBody(), (feed) -> feed != null && feed.contains("\"WEBHOOK\":\"DELIVERED\""));
		List<ReadmeExamples.Example> examples = ReadmeExamples.calling(Path.of("../README.md"), "localhost:8083");
		assertThat(examples).hasSizeGreaterThanOrEqualTo(3);
		for (ReadmeExamples.Example example : examples) {
			assertThat(example.mismatches("localhost:8083", "localhost:" + this.port)).isEmpty();
		}
	}

}
