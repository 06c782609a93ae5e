package io.ordersaga.notification;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.ordersaga.events.CancellationReason;
import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.LineItem;
import io.ordersaga.events.NotificationSent.Channel;
import io.ordersaga.events.OrderCancelled;
import io.ordersaga.events.OrderConfirmed;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.PaymentRefunded;
import io.ordersaga.events.SagaEvent;
import io.ordersaga.events.kafka.EventCodec;
import io.ordersaga.kafka.test.TestKafkaBroker;
import io.ordersaga.kafka.test.TopicReader;
import io.ordersaga.kafka.test.UseTestKafkaBroker;
import io.ordersaga.notification.feed.Notification;
import io.ordersaga.kafka.test.Actuator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Notifications through a real broker and a real webhook endpoint, with the other
 * services played by the test.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.kafka.streams.state-dir=${java.io.tmpdir}/notification-service-tests/${random.uuid}",
				"ordersaga.notifications.webhook-retry-delay=500", "ordersaga.notifications.webhook-attempts=4",
				"ordersaga.notifications.webhook-timeout=2s" })
@AutoConfigureRestTestClient
@UseTestKafkaBroker
class NotificationIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final Currency EUR = Currency.getInstance("EUR");

	static final TestWebhook webhook = new TestWebhook();

	@DynamicPropertySource
	static void webhook(DynamicPropertyRegistry registry) {
		registry.add("ordersaga.notifications.webhook-url", webhook::url);
	}

	@Autowired
	private RestTestClient http;

	@LocalManagementPort
	private int managementPort;

	@LocalServerPort
	private int port;

	@Test
	void oneNotificationPerOutcomeOnEveryChannel() {
		String customer = newCustomer();
		EventEnvelope<OrderPlaced> order = order(customer);
		publish(order.causes("/order-service", new OrderConfirmed(customer, new BigDecimal("10.00"), EUR)));

		Notification notification = awaitNotifications(customer, 1).get(0);
		assertThat(notification.subject()).isEqualTo("Your order is confirmed");
		await().atMost(WAIT).until(() -> status(customer, "WEBHOOK").equals("DELIVERED"));
		assertThat(status(customer, "IN_APP")).isEqualTo("DELIVERED");
		assertThat(webhook.callsFor(order.key())).hasSize(1)
			.allSatisfy(
					(call) -> assertThat(call.idempotencyKey()).isEqualTo(notification.notificationId().toString()));
	}

	@Test
	void aWebhookCallJoinsTheNotificationsTraceAndIsMeasured() {
		String customer = newCustomer();
		EventEnvelope<OrderPlaced> order = order(customer);
		publish(order.causes("/order-service", new OrderConfirmed(customer, new BigDecimal("10.00"), EUR)));
		await().atMost(WAIT).until(() -> status(customer, "WEBHOOK").equals("DELIVERED"));

		String delivery = new String(TopicReader
			.readUntil("notification-webhooks", (read) -> read.stream().anyMatch((r) -> r.key().equals(order.key())),
					WAIT)
			.stream()
			.filter((r) -> r.key().equals(order.key()))
			.findFirst()
			.orElseThrow()
			.headers()
			.lastHeader("traceparent")
			.value(), StandardCharsets.UTF_8);
		assertThat(webhook.callsFor(order.key())).singleElement()
			.satisfies((call) -> assertThat(call.traceId()).isEqualTo(delivery.split("-")[1]));
		assertThat(Actuator.prometheus(this.managementPort)).contains("http_client_requests_seconds_count{");
	}

	@Test
	void aDuplicatedSourceEventYieldsOneNotification() {
		String customer = newCustomer();
		EventEnvelope<OrderCancelled> cancelled = order(customer).causes("/order-service",
				new OrderCancelled(customer, CancellationReason.UNKNOWN_CUSTOMER, new BigDecimal("10.00"), EUR));
		publish(cancelled);
		publish(cancelled);
		EventEnvelope<PaymentRefunded> later = order(customer).causes("/payment-service",
				new PaymentRefunded(customer, new BigDecimal("10.00"), EUR));
		publish(later);

		awaitNotifications(customer, 2);
		String source = cancelled.id().toString();
		List<String> recorded = TopicReader
			.readUntil("notifications", (read) -> read.stream().anyMatch((r) -> r.key().equals(later.key())), WAIT)
			.stream()
			.map((r) -> new String(r.value(), StandardCharsets.UTF_8))
			.filter((json) -> json.contains(source) && json.contains("\"IN_APP\""))
			.toList();
		assertThat(recorded).hasSize(1);
	}

	@Test
	void aWebhookThatFailsTwiceIsDeliveredOnceWhileOtherNotificationsFlow() {
		String customer = newCustomer();
		EventEnvelope<OrderPlaced> slow = order(customer);
		EventEnvelope<OrderPlaced> other = order(customer);
		webhook.fail(slow.key(), 2);
		publish(slow.causes("/order-service", new OrderConfirmed(customer, new BigDecimal("10.00"), EUR)));
		publish(other.causes("/order-service", new OrderConfirmed(customer, new BigDecimal("10.00"), EUR)));

		await().atMost(WAIT).until(() -> webhook.callsFor(slow.key()).stream().anyMatch(TestWebhook.Call::succeeded));
		List<TestWebhook.Call> slowCalls = webhook.callsFor(slow.key());
		assertThat(slowCalls).extracting(TestWebhook.Call::succeeded).containsExactly(false, false, true);
		List<TestWebhook.Call> otherCalls = webhook.callsFor(other.key());
		assertThat(otherCalls).hasSize(1);
		assertThat(otherCalls.get(0).time()).isBefore(slowCalls.get(2).time());
		await().atMost(WAIT).until(() -> webhookStatuses(customer).stream().allMatch("DELIVERED"::equals));
	}

	@Test
	void aWebhookThatAlwaysFailsEndsInTheDeadLetterTopicAndShowsAsFailed() {
		String customer = newCustomer();
		EventEnvelope<OrderPlaced> order = order(customer);
		webhook.fail(order.key(), Integer.MAX_VALUE);
		publish(order.causes("/order-service", new OrderConfirmed(customer, new BigDecimal("10.00"), EUR)));

		assertThat(TopicReader.readUntil("notification-webhooks-dlt",
				(read) -> read.stream().anyMatch((r) -> r.key().equals(order.key())), WAIT))
			.anyMatch((r) -> r.key().equals(order.key()));
		await().atMost(WAIT).until(() -> status(customer, "WEBHOOK").equals("FAILED"));
		assertThat(webhook.callsFor(order.key())).hasSize(4);
	}

	/**
	 * An endpoint that answers a byte every half second never trips a time-out per read:
	 * only a deadline for the whole call ends it, and the deliveries behind it go on.
	 */
	@Test
	void aWebhookThatDripsItsAnswerIsCutAtItsDeadlineAndTheDeliveriesBehindItGoOn() {
		String customer = newCustomer();
		EventEnvelope<OrderPlaced> dripping = order(customer);
		EventEnvelope<OrderPlaced> behind = order(customer);
		webhook.drip(dripping.key());
		publish(dripping.causes("/order-service", new OrderConfirmed(customer, new BigDecimal("10.00"), EUR)));
		await().atMost(WAIT).until(() -> !webhook.callsFor(dripping.key()).isEmpty());

		publish(behind.causes("/order-service", new OrderConfirmed(customer, new BigDecimal("10.00"), EUR)));

		await().atMost(WAIT).until(() -> webhook.callsFor(behind.key()).stream().anyMatch(TestWebhook.Call::succeeded));
		// The drip lasts a minute; the client hangs up at its deadline (2 s here).
		await().atMost(Duration.ofSeconds(20)).until(() -> webhook.hungUpOn(dripping.key()));
	}

	@Test
	void theStreamPushesANotificationRecordedAfterTheClientConnected() throws Exception {
		String customer = newCustomer();
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/notifications/stream?customerId=" + customer))
			.header("Accept", "text/event-stream")
			.timeout(Duration.ofSeconds(30))
			.build();
		HttpResponse<InputStream> response = HttpClient.newHttpClient()
			.send(request, HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).isEqualTo(200);
		EventEnvelope<OrderPlaced> order = order(customer);
		CompletableFuture<String> pushed = CompletableFuture.supplyAsync(() -> {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = lines.readLine()) != null) {
					if (line.startsWith("data:") && line.contains(customer)) {
						return line;
					}
				}
				return "";
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});

		publish(order.causes("/order-service", new OrderConfirmed(customer, new BigDecimal("10.00"), EUR)));

		assertThat(pushed.get(30, TimeUnit.SECONDS)).contains("Your order is confirmed").contains(order.key());
	}

	@Test
	void countsNotificationsByTypeAndChannelForPrometheus() {
		String customer = newCustomer();
		publish(order(customer).causes("/payment-service",
				new PaymentRefunded(customer, new BigDecimal("10.00"), EUR)));
		awaitNotifications(customer, 1);

		assertThat(Actuator.prometheus(this.managementPort)).contains("notifications_sent_total{channel=\"IN_APP\"",
				"type=\"PaymentRefunded\"");
	}

	@Test
	void historySurvivesARestart(@TempDir Path stateDir) {
		String customer = newCustomer();
		publish(order(customer).causes("/order-service", new OrderConfirmed(customer, new BigDecimal("10.00"), EUR)));
		UUID notificationId = awaitNotifications(customer, 1).get(0).notificationId();

		try (ConfigurableApplicationContext restarted = new SpringApplicationBuilder(
				NotificationServiceApplication.class)
			.run("--server.port=0", "--spring.kafka.bootstrap-servers=" + TestKafkaBroker.bootstrapServers(),
					"--spring.kafka.streams.state-dir=" + stateDir)) {
			int port = ((WebServerApplicationContext) restarted).getWebServer().getPort();
			RestClient http = RestClient.builder().baseUrl("http://localhost:" + port).build();
			await().atMost(WAIT)
				.until(() -> http.get()
					.uri("/notifications?customerId={customer}", customer)
					.retrieve()
					.body(new ParameterizedTypeReference<List<Notification>>() {
					}), (list) -> list.size() == 1 && list.get(0).notificationId().equals(notificationId));
		}
	}

	private List<Notification> awaitNotifications(String customer, int count) {
		return await().atMost(WAIT).until(() -> notifications(customer), (list) -> list.size() >= count);
	}

	private List<Notification> notifications(String customer) {
		return this.http.get()
			.uri("/notifications?customerId={customer}", customer)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(new ParameterizedTypeReference<List<Notification>>() {
			})
			.returnResult()
			.getResponseBody();
	}

	private String status(String customer, String channel) {
		return notifications(customer).stream()
			.findFirst()
			.map((n) -> String.valueOf(n.channels().get(Channel.valueOf(channel))))
			.orElse("NONE");
	}

	private List<String> webhookStatuses(String customer) {
		return notifications(customer).stream().map((n) -> String.valueOf(n.channels().get(Channel.WEBHOOK))).toList();
	}

	static EventEnvelope<OrderPlaced> order(String customer) {
		return EventEnvelope.first("/order-service", UUID.randomUUID(),
				OrderPlaced.of(customer, EUR, List.of(new LineItem("SKU-1", 1, new BigDecimal("10.00")))));
	}

	static void publish(EventEnvelope<? extends SagaEvent> event) {
		TestKafkaBroker.send(event.topicName(), event.key(), EventCodec.instance().encode(event));
	}

	static String newCustomer() {
		return TestKafkaBroker.uniqueName("customer");
	}

}
