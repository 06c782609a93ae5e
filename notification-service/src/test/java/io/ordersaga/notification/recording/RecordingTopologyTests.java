package io.ordersaga.notification.recording;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ordersaga.events.CancellationReason;
import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.LineItem;
import io.ordersaga.events.NotificationSent;
import io.ordersaga.events.OrderCancelled;
import io.ordersaga.events.OrderConfirmed;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.PaymentAuthorized;
import io.ordersaga.events.PaymentRefunded;
import io.ordersaga.events.SagaEvent;
import io.ordersaga.events.kafka.EventDeserializer;
import io.ordersaga.events.kafka.EventSerializer;
import io.ordersaga.notification.NotificationIds;
import io.ordersaga.notification.NotificationMetrics;
import io.ordersaga.notification.WebhookTopics;
import io.ordersaga.support.streams.RecordTracing;
import io.ordersaga.support.streams.ProcessingFailures;
import io.ordersaga.support.streams.StreamsErrorHandler;
import io.ordersaga.kafka.test.TestTopologies;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Recording notifications, on the real topology with Kafka Streams' test driver. */
class RecordingTopologyTests {

	private static final Currency EUR = Currency.getInstance("EUR");

	private static final BigDecimal TOTAL = new BigDecimal("25.00");

	@TempDir
	Path stateDir;

	private TopologyTestDriver driver;

	private TestInputTopic<String, byte[]> orders;

	private TestInputTopic<String, byte[]> payments;

	private TestOutputTopic<String, EventEnvelope<?>> notifications;

	private final EventEnvelope<OrderPlaced> placed = EventEnvelope.first("/order-service", UUID.randomUUID(),
			OrderPlaced.of("alice", EUR, List.of(new LineItem("BOOK-1", 2, new BigDecimal("12.50")))));

	void start(boolean webhook) {
		ProcessingFailures failures = new ProcessingFailures(3);
		StreamsBuilder builder = new StreamsBuilder();
		RecordingTopology.build(builder, "notification-service", RecordTracing.NOOP,
				new NotificationMetrics(new SimpleMeterRegistry()), webhook, failures, Duration.ofHours(24));
		this.driver = TestTopologies.driver(builder.build(), "notification-service", this.stateDir,
				StreamsErrorHandler.use(new Properties(), failures));
		this.orders = this.driver.createInputTopic("orders", new StringSerializer(), new ByteArraySerializer());
		this.payments = this.driver.createInputTopic("payments", new StringSerializer(), new ByteArraySerializer());
		this.notifications = this.driver.createOutputTopic("notifications", new StringDeserializer(),
				new EventDeserializer());
	}

	@AfterEach
	void closeDriver() {
		this.driver.close();
	}

	@Test
	void notifiesAConfirmedOrder() {
		start(false);
		EventEnvelope<OrderConfirmed> confirmed = send(this.orders, new OrderConfirmed("alice", TOTAL, EUR));

		EventEnvelope<?> notification = onlyNotification();
		NotificationSent sent = (NotificationSent) notification.data();
		assertThat(sent.customerId()).isEqualTo("alice");
		assertThat(sent.channel()).isEqualTo(NotificationSent.Channel.IN_APP);
		assertThat(sent.subject()).isEqualTo("Your order is confirmed");
		assertThat(sent.text()).contains("25.00 EUR").contains(this.placed.key().substring(0, 8));
		assertThat(sent.sourceEventId()).isEqualTo(confirmed.id());
		assertThat(sent.sourceEventType()).isEqualTo("OrderConfirmed");
		assertThat(sent.notificationId())
			.isEqualTo(NotificationIds.of(confirmed.id(), NotificationSent.Channel.IN_APP));
		assertThat(notification.key()).isEqualTo(this.placed.key());
		assertThat(notification.causationId()).isEqualTo(confirmed.id());
	}

	@Test
	void explainsACancellationInWordsACustomerUnderstands() {
		start(false);
		send(this.orders, new OrderCancelled("alice", CancellationReason.INSUFFICIENT_FUNDS, TOTAL, EUR));
		send(this.orders, new OrderCancelled("alice", CancellationReason.PAYMENT_TIMEOUT, TOTAL, EUR));

		List<String> texts = this.notifications.readValuesToList()
			.stream()
			.map((event) -> ((NotificationSent) event.data()).text())
			.toList();
		assertThat(texts).containsExactly(
				"Your order " + this.placed.key().substring(0, 8)
						+ " of 25.00 EUR was cancelled: your account balance did not cover 25.00 EUR.",
				"Your order " + this.placed.key().substring(0, 8)
						+ " of 25.00 EUR was cancelled: we did not receive your payment in time.");
	}

	@Test
	void notifiesARefund() {
		start(false);
		send(this.payments, new PaymentRefunded("alice", TOTAL, EUR));

		assertThat(((NotificationSent) onlyNotification().data()).subject()).isEqualTo("Your payment was refunded");
	}

	@Test
	void notifiesNothingForEventsThatAreNotOutcomes() {
		start(false);
		this.orders.pipeInput(this.placed.key(), new EventSerializer().serialize("orders", this.placed));
		send(this.payments, new PaymentAuthorized("alice", TOTAL, EUR));

		assertThat(this.notifications.readValuesToList()).isEmpty();
	}

	@Test
	void aDuplicatedSourceEventYieldsOneNotification() {
		start(false);
		EventEnvelope<OrderConfirmed> confirmed = send(this.orders, new OrderConfirmed("alice", TOTAL, EUR));
		this.orders.pipeInput(confirmed.key(), new EventSerializer().serialize("orders", confirmed));

		onlyNotification();
	}

	@Test
	void forgetsWhatItNotifiedOnceStreamTimeIsPastTheRetention() {
		start(false);
		KeyValueStore<String, Object> notified = this.driver.getKeyValueStore(RecordingTopology.NOTIFIED_STORE);
		EventEnvelope<OrderConfirmed> confirmed = send(this.orders, new OrderConfirmed("alice", TOTAL, EUR));
		assertThat(notified.get(confirmed.id().toString())).isNotNull();

		EventEnvelope<OrderConfirmed> later = this.placed.causes("/order-service",
				new OrderConfirmed("bob", TOTAL, EUR));
		this.orders.pipeInput(later.key(), new EventSerializer().serialize("orders", later),
				Instant.now().plus(Duration.ofHours(24)).plusSeconds(180));

		assertThat(notified.get(confirmed.id().toString())).isNull();
		assertThat(notified.get(later.id().toString())).isNotNull();
	}

	@Test
	void requestsAWebhookDeliveryWhenAWebhookIsConfigured() {
		start(true);
		TestOutputTopic<String, EventEnvelope<?>> requests = this.driver.createOutputTopic(WebhookTopics.DELIVERIES,
				new StringDeserializer(), new EventDeserializer());
		send(this.orders, new OrderConfirmed("alice", TOTAL, EUR));

		assertThat(requests.readValuesToList()).containsExactly(onlyNotification());
	}

	@Test
	void recordsAWebhookDeliveryOnceHoweverOftenItIsReported() {
		start(true);
		TestInputTopic<String, byte[]> delivered = this.driver.createInputTopic(WebhookTopics.DELIVERED,
				new StringSerializer(), new ByteArraySerializer());
		EventEnvelope<OrderConfirmed> confirmed = send(this.orders, new OrderConfirmed("alice", TOTAL, EUR));
		this.notifications.readValuesToList();
		// A crash between the call and the listener's commit repeats both: two records of
		// one delivery, each with an event id of its own.
		for (int attempt = 0; attempt < 2; attempt++) {
			send(delivered,
					new NotificationSent(NotificationIds.of(confirmed.id(), NotificationSent.Channel.WEBHOOK), "alice",
							NotificationSent.Channel.WEBHOOK, "Your order is confirmed", "Confirmed.", confirmed.id(),
							"OrderConfirmed"));
		}

		NotificationSent recorded = (NotificationSent) onlyNotification().data();
		assertThat(recorded.channel()).isEqualTo(NotificationSent.Channel.WEBHOOK);
		assertThat(recorded.notificationId())
			.isEqualTo(NotificationIds.of(confirmed.id(), NotificationSent.Channel.WEBHOOK));
	}

	@Test
	void sendsAWebhookDeliveryThatIsNotOneToItsDeadLetterTopic() {
		start(true);
		TestInputTopic<String, byte[]> delivered = this.driver.createInputTopic(WebhookTopics.DELIVERED,
				new StringSerializer(), new ByteArraySerializer());
		TestOutputTopic<String, byte[]> deadLetters = this.driver.createOutputTopic(
				WebhookTopics.DELIVERED_DEAD_LETTERS, new StringDeserializer(), new ByteArrayDeserializer());
		send(delivered, new NotificationSent(UUID.randomUUID(), "alice", NotificationSent.Channel.IN_APP, "Subject",
				"Text.", UUID.randomUUID(), "OrderConfirmed"));

		assertThat(deadLetters.readValuesToList()).hasSize(1);
		assertThat(this.notifications.readValuesToList()).isEmpty();
	}

	@Test
	void sendsAnUnreadableRecordToTheDeadLetterTopicAndGoesOn() {
		start(false);
		TestOutputTopic<String, byte[]> deadLetters = this.driver.createOutputTopic("orders-dlt",
				new StringDeserializer(), new ByteArrayDeserializer());
		this.orders.pipeInput("key", "{oops".getBytes(StandardCharsets.UTF_8));
		send(this.orders, new OrderConfirmed("alice", TOTAL, EUR));

		assertThat(deadLetters.readValuesToList()).hasSize(1);
		onlyNotification();
	}

	private <E extends SagaEvent> EventEnvelope<E> send(TestInputTopic<String, byte[]> topic, E data) {
		EventEnvelope<E> event = this.placed.causes("/order-service", data);
		topic.pipeInput(event.key(), new EventSerializer().serialize("any", event));
		return event;
	}

	private EventEnvelope<?> onlyNotification() {
		List<EventEnvelope<?>> sent = this.notifications.readValuesToList();
		assertThat(sent).hasSize(1);
		return sent.get(0);
	}

}
