package io.ordersaga.order.saga;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ordersaga.events.CancellationReason;
import io.ordersaga.events.DeclineReason;
import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.LineItem;
import io.ordersaga.events.OrderCancelled;
import io.ordersaga.events.OrderConfirmed;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.PaymentAuthorized;
import io.ordersaga.events.PaymentDeclined;
import io.ordersaga.events.PaymentEvent;
import io.ordersaga.events.PaymentRefunded;
import io.ordersaga.events.SagaEvent;
import io.ordersaga.events.kafka.EventDeserializer;
import io.ordersaga.events.kafka.EventSerializer;
import io.ordersaga.order.core.OrderMetrics;
import io.ordersaga.support.streams.RecordTracing;
import io.ordersaga.support.streams.DeadLetterTopics;
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
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.kafka.support.KafkaHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/** Every transition of the saga, on the real topology with Kafka Streams' test driver. */
class OrderSagaTopologyTests {

	private static final Currency EUR = Currency.getInstance("EUR");

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final Duration SILENCE = Duration.ofSeconds(10);

	private static final Duration GRACE = Duration.ofSeconds(60);

	private static final Duration RETENTION = Duration.ofHours(24);

	@TempDir
	Path stateDir;

	private SimpleMeterRegistry meters;

	private TopologyTestDriver driver;

	private TestInputTopic<String, byte[]> orders;

	private TestInputTopic<String, byte[]> payments;

	private TestOutputTopic<String, EventEnvelope<?>> decisions;

	private final EventEnvelope<OrderPlaced> placed = EventEnvelope.first("/order-service", UUID.randomUUID(),
			OrderPlaced.of("alice", EUR, List.of(new LineItem("BOOK-1", 2, new BigDecimal("12.50")))));

	@BeforeEach
	void startDriver() {
		this.meters = new SimpleMeterRegistry();
		ProcessingFailures failures = new ProcessingFailures(3, DeadLetterTopics::standard,
				(topic) -> this.meters.counter("saga.dead.letters", "topic", topic).increment());
		StreamsBuilder builder = new StreamsBuilder();
		OrderSagaTopology.build(builder, new SagaProperties(TIMEOUT, Duration.ofSeconds(1), SILENCE, GRACE), RETENTION,
				new OrderMetrics(this.meters), "order-service", RecordTracing.NOOP, failures);
		this.driver = TestTopologies.driver(builder.build(), "order-service", this.stateDir,
				StreamsErrorHandler.use(new Properties(), failures));
		this.orders = this.driver.createInputTopic("orders", new StringSerializer(), new ByteArraySerializer());
		this.payments = this.driver.createInputTopic("payments", new StringSerializer(), new ByteArraySerializer());
		this.decisions = this.driver.createOutputTopic("orders", new StringDeserializer(), new EventDeserializer());
	}

	@AfterEach
	void closeDriver() {
		this.driver.close();
	}

	@Test
	void confirmsAnOrderWhenItsPaymentIsAuthorized() {
		send(this.orders, this.placed);
		EventEnvelope<PaymentAuthorized> authorized = payment(
				new PaymentAuthorized("alice", this.placed.data().total(), EUR));
		send(this.payments, authorized);

		EventEnvelope<?> confirmed = onlyDecision();
		assertThat(confirmed.data()).isEqualTo(new OrderConfirmed("alice", new BigDecimal("25.00"), EUR));
		assertThat(confirmed.orderId()).isEqualTo(this.placed.orderId());
		assertThat(confirmed.causationId()).isEqualTo(authorized.id());
		assertThat(confirmed.correlationId()).isEqualTo(this.placed.correlationId());
		assertThat(this.meters.counter("orders.confirmed").count()).isEqualTo(1);
		assertThat(this.meters.timer("orders.saga.duration", "outcome", "confirmed").count()).isEqualTo(1);
		assertThat(this.meters.timer("orders.saga.duration", "outcome", "cancelled").count()).isZero();
	}

	/**
	 * Prometheus' {@code rate()} counts only what a series adds after its first sample:
	 * the outcomes' series exist, at zero, before the first saga ends.
	 */
	@Test
	void everyOutcomesSeriesExistsBeforeTheFirstSagaEnds() {
		for (String outcome : List.of("confirmed", "cancelled")) {
			assertThat(this.meters.find("orders.saga.duration").tag("outcome", outcome).timer()).isNotNull();
		}
		for (CancellationReason reason : List.of(CancellationReason.INSUFFICIENT_FUNDS,
				CancellationReason.UNKNOWN_CUSTOMER, CancellationReason.CURRENCY_MISMATCH,
				CancellationReason.PAYMENT_TIMEOUT)) {
			assertThat(this.meters.find("orders.cancelled").tag("reason", reason.code()).counter()).isNotNull();
		}
	}

	@Test
	void cancelsAnOrderWithThePaymentsReasonWhenItIsDeclined() {
		send(this.orders, this.placed);
		send(this.payments, payment(declined(DeclineReason.INSUFFICIENT_FUNDS)));

		assertThat(onlyDecision().data()).isEqualTo(cancelled(CancellationReason.INSUFFICIENT_FUNDS));
		assertThat(this.meters.counter("orders.cancelled", "reason", "INSUFFICIENT_FUNDS").count()).isEqualTo(1);
	}

	@Test
	void keepsAReasonCodeItDoesNotKnow() {
		send(this.orders, this.placed);
		send(this.payments, payment(declined(DeclineReason.of("ACCOUNT_FROZEN"))));

		assertThat(onlyDecision().data()).isEqualTo(cancelled(CancellationReason.of("ACCOUNT_FROZEN")));
	}

	@Test
	void cancelsAnOrderThatHearsNothingWithinTheTimeout() {
		send(this.orders, this.placed);

		run(TIMEOUT.minusSeconds(2));
		assertThat(this.decisions.readValuesToList()).isEmpty();
		run(Duration.ofSeconds(3));

		EventEnvelope<?> timedOut = onlyDecision();
		assertThat(timedOut.data()).isEqualTo(cancelled(CancellationReason.PAYMENT_TIMEOUT));
		assertThat(timedOut.causationId()).isEqualTo(this.placed.id());
		assertThat(timedOut.correlationId()).isEqualTo(this.placed.correlationId());
		Timer saga = this.meters.timer("orders.saga.duration", "outcome", "cancelled");
		assertThat(saga.count()).isEqualTo(1);
		assertThat(saga.totalTime(TimeUnit.MILLISECONDS)).isBetween((double) TIMEOUT.toMillis(),
				(double) TIMEOUT.plusSeconds(2).toMillis());
	}

	/**
	 * A payment-service that is behind (short of CPU, catching up after a broker failed
	 * over) still answers other orders: an order past its timeout waits for its own
	 * answer instead of being cancelled though its customer can pay.
	 */
	@Test
	void anOverdueOrderWaitsWhilePaymentServiceAnswersOthersAndEndsWithItsOwnOutcome() {
		send(this.orders, this.placed);
		runWhilePaymentServiceAnswersOthers(TIMEOUT.plusSeconds(20));
		assertThat(this.decisions.readValuesToList()).isEmpty();

		send(this.payments, payment(new PaymentAuthorized("alice", this.placed.data().total(), EUR)));

		assertThat(onlyDecision().data()).isEqualTo(new OrderConfirmed("alice", new BigDecimal("25.00"), EUR));
	}

	/**
	 * An answer that never comes (say, to an order payment-service could not read) is
	 * waited for only so long.
	 */
	@Test
	void anOverdueOrderIsCancelledAtTheEndOfTheGraceThoughPaymentServiceAnswersOthers() {
		send(this.orders, this.placed);
		runWhilePaymentServiceAnswersOthers(TIMEOUT.plus(GRACE).minusSeconds(1));
		assertThat(this.decisions.readValuesToList()).isEmpty();
		run(Duration.ofSeconds(2));

		assertThat(onlyDecision().data()).isEqualTo(cancelled(CancellationReason.PAYMENT_TIMEOUT));
	}

	/**
	 * The saga hears nothing while it stands still itself (a broker it waits on, a
	 * machine short of CPU); that is not payment-service's silence, which counts again
	 * from the end of the standstill.
	 */
	@Test
	void theSagasOwnStandstillIsNotPaymentServicesSilence() {
		send(this.orders, this.placed);
		runWhilePaymentServiceAnswersOthers(TIMEOUT.minusSeconds(5));
		this.driver.advanceWallClockTime(Duration.ofSeconds(20));
		assertThat(this.decisions.readValuesToList()).isEmpty();

		run(SILENCE.minusSeconds(2));
		assertThat(this.decisions.readValuesToList()).isEmpty();
		run(Duration.ofSeconds(2));

		assertThat(onlyDecision().data()).isEqualTo(cancelled(CancellationReason.PAYMENT_TIMEOUT));
	}

	@Test
	void aPaymentThatArrivesAfterTheTimeoutChangesNothing() {
		send(this.orders, this.placed);
		run(TIMEOUT.plusSeconds(1));
		assertThat(onlyDecision().data()).isEqualTo(cancelled(CancellationReason.PAYMENT_TIMEOUT));

		send(this.payments, payment(new PaymentAuthorized("alice", this.placed.data().total(), EUR)));

		assertThat(this.decisions.readValuesToList()).isEmpty();
	}

	@Test
	void aDuplicatedPaymentEventDecidesOnce() {
		send(this.orders, this.placed);
		EventEnvelope<PaymentAuthorized> authorized = payment(
				new PaymentAuthorized("alice", this.placed.data().total(), EUR));
		send(this.payments, authorized);
		send(this.payments, authorized);

		assertThat(onlyDecision().data()).isInstanceOf(OrderConfirmed.class);
	}

	@Test
	void aContradictingOutcomeNeverFlipsAFinalState() {
		send(this.orders, this.placed);
		send(this.payments, payment(new PaymentAuthorized("alice", this.placed.data().total(), EUR)));
		send(this.payments, payment(declined(DeclineReason.INSUFFICIENT_FUNDS)));
		run(TIMEOUT.plusSeconds(1));

		assertThat(onlyDecision().data()).isInstanceOf(OrderConfirmed.class);
	}

	@Test
	void aRefundDecidesNothing() {
		send(this.orders, this.placed);
		send(this.payments, payment(declined(DeclineReason.UNKNOWN_CUSTOMER)));
		send(this.payments, payment(new PaymentRefunded("alice", this.placed.data().total(), EUR)));

		assertThat(onlyDecision().data()).isEqualTo(cancelled(CancellationReason.UNKNOWN_CUSTOMER));
	}

	@Test
	void appliesAPaymentOutcomeThatArrivesBeforeItsOrder() {
		send(this.payments, payment(new PaymentAuthorized("alice", this.placed.data().total(), EUR)));
		assertThat(this.decisions.readValuesToList()).isEmpty();

		send(this.orders, this.placed);

		assertThat(onlyDecision().data()).isInstanceOf(OrderConfirmed.class);
	}

	@Test
	void deadLettersAPaymentOutcomeThatDoesNotMatchItsOrderWhichThenTimesOut() {
		TestOutputTopic<String, byte[]> deadLetters = this.driver.createOutputTopic("payments-dlt",
				new StringDeserializer(), new ByteArrayDeserializer());
		send(this.orders, this.placed);

		send(this.payments, payment(new PaymentAuthorized("alice", new BigDecimal("0.01"), EUR)));
		send(this.payments,
				payment(new PaymentAuthorized("alice", this.placed.data().total(), Currency.getInstance("USD"))));
		send(this.payments, payment(new PaymentAuthorized("mallory", this.placed.data().total(), EUR)));
		send(this.payments, payment(
				new PaymentDeclined("mallory", DeclineReason.INSUFFICIENT_FUNDS, this.placed.data().total(), EUR)));

		assertThat(deadLetters.readRecordsToList())
			.extracting((dead) -> header(dead, KafkaHeaders.DLT_EXCEPTION_MESSAGE))
			.satisfiesExactly(
					(message) -> assertThat(message).contains("does not match order " + this.placed.key()
							+ ": it is for 0.01 EUR, the order for 25.00 EUR"),
					(message) -> assertThat(message).contains("it is for 25.00 USD, the order for 25.00 EUR"),
					(message) -> assertThat(message).contains("it is for customer mallory, the order is alice's"),
					(message) -> assertThat(message).startsWith("PaymentDeclined"));
		assertThat(this.decisions.readValuesToList()).isEmpty();
		run(TIMEOUT.plusSeconds(1));
		assertThat(onlyDecision().data()).isEqualTo(cancelled(CancellationReason.PAYMENT_TIMEOUT));
	}

	@Test
	void deadLettersAParkedPaymentOutcomeThatDoesNotMatchTheOrderItWaitedFor() {
		TestOutputTopic<String, byte[]> deadLetters = this.driver.createOutputTopic("payments-dlt",
				new StringDeserializer(), new ByteArrayDeserializer());
		TestOutputTopic<String, byte[]> orderDeadLetters = this.driver.createOutputTopic("orders-dlt",
				new StringDeserializer(), new ByteArrayDeserializer());
		send(this.payments, payment(new PaymentAuthorized("alice", new BigDecimal("0.01"), EUR)));

		send(this.orders, this.placed);

		TestRecord<String, byte[]> deadLetter = deadLetters.readRecord();
		assertThat(header(deadLetter, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains("it is for 0.01 EUR");
		assertThat(header(deadLetter, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo("payments");
		assertThat(orderDeadLetters.isEmpty()).isTrue();
		assertThat(this.decisions.readValuesToList()).isEmpty();
		send(this.payments, payment(new PaymentAuthorized("alice", this.placed.data().total(), EUR)));
		assertThat(onlyDecision().data()).isInstanceOf(OrderConfirmed.class);
	}

	/**
	 * Every write to a store is a record in its changelog, which the broker stores and
	 * the saga's transaction carries: a saga writes what changes and nothing else. Taking
	 * an outcome out of the parked ones wrote a tombstone for every order, though almost
	 * none has one parked.
	 */
	@Test
	void aSagaWritesToItsChangelogsOnlyWhatChanges() {
		send(this.orders, this.placed);
		send(this.payments, payment(new PaymentAuthorized("alice", this.placed.data().total(), EUR)));

		assertThat(onlyDecision().data()).isInstanceOf(OrderConfirmed.class);
		assertThat(changelog(OrderSagaTopology.SAGA_STORE)).as("started, then ended").isEqualTo(2);
		assertThat(changelog(OrderSagaTopology.DEADLINE_STORE)).as("set, then cleared").isEqualTo(2);
		assertThat(changelog(OrderSagaTopology.EXPIRY_STORE)).as("the ended saga, to forget later").isEqualTo(1);
		assertThat(changelog(OrderSagaTopology.PARKED_OUTCOME_STORE)).as("nothing was parked").isZero();
	}

	@Test
	void forgetsAFinishedSagaAndAnOutcomeParkedForAnOrderThatNeverCameOnceStreamTimeIsPastTheRetention() {
		KeyValueStore<String, Object> sagas = this.driver.getKeyValueStore(OrderSagaTopology.SAGA_STORE);
		KeyValueStore<String, Object> parked = this.driver.getKeyValueStore(OrderSagaTopology.PARKED_OUTCOME_STORE);
		send(this.orders, this.placed);
		send(this.payments, payment(new PaymentAuthorized("alice", this.placed.data().total(), EUR)));
		EventEnvelope<OrderPlaced> neverPlaced = EventEnvelope.first("/order-service", UUID.randomUUID(),
				OrderPlaced.of("bob", EUR, List.of(new LineItem("PEN-7", 1, new BigDecimal("3.99")))));
		send(this.payments,
				neverPlaced.causes("/payment-service", new PaymentAuthorized("bob", neverPlaced.data().total(), EUR)));

		// Stream time moves with the records: almost a day later, then a day and three
		// minutes later.
		EventEnvelope<OrderPlaced> later = EventEnvelope.first("/order-service", UUID.randomUUID(),
				OrderPlaced.of("carol", EUR, List.of(new LineItem("PEN-7", 1, new BigDecimal("3.99")))));
		send(this.orders, later, Instant.now().plus(RETENTION).minusSeconds(120));
		assertThat(sagas.get(this.placed.key())).isNotNull();
		send(this.orders, later, Instant.now().plus(RETENTION).plusSeconds(180));

		assertThat(sagas.get(this.placed.key())).isNull();
		assertThat(parked.get(neverPlaced.key())).isNull();
		assertThat(sagas.get(later.key())).isNotNull();
	}

	@Test
	void aDuplicatedOrderPlacedStartsNothingNew() {
		send(this.orders, this.placed);
		send(this.orders, this.placed);
		send(this.payments, payment(new PaymentAuthorized("alice", this.placed.data().total(), EUR)));
		run(TIMEOUT.plusSeconds(1));

		assertThat(onlyDecision().data()).isInstanceOf(OrderConfirmed.class);
	}

	@Test
	void sendsAnUnreadableRecordToTheDeadLetterTopicAndGoesOn() {
		TestOutputTopic<String, byte[]> deadLetters = this.driver.createOutputTopic("payments-dlt",
				new StringDeserializer(), new ByteArrayDeserializer());
		send(this.orders, this.placed);
		byte[] garbage = "{\"type\":\"PaymentAuthorized\",\"oops\":".getBytes(StandardCharsets.UTF_8);
		this.payments.pipeInput(this.placed.key(), garbage);
		send(this.payments, payment(new PaymentAuthorized("alice", this.placed.data().total(), EUR)));

		TestRecord<String, byte[]> deadLetter = deadLetters.readRecord();
		assertThat(deadLetter.value()).isEqualTo(garbage);
		assertThat(deadLetter.key()).isEqualTo(this.placed.key());
		assertThat(header(deadLetter, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains("not valid JSON");
		assertThat(header(deadLetter, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo("payments");
		assertThat(header(deadLetter, KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP)).isEqualTo("order-service");
		assertThat(deadLetters.isEmpty()).isTrue();
		assertThat(onlyDecision().data()).isInstanceOf(OrderConfirmed.class);
		assertThat(this.meters.counter("saga.dead.letters", "topic", "payments").count()).isEqualTo(1);
	}

	@Test
	void sendsAnEventWhoseKeyIsNotItsOrderToTheDeadLetterTopic() {
		TestOutputTopic<String, byte[]> deadLetters = this.driver.createOutputTopic("orders-dlt",
				new StringDeserializer(), new ByteArrayDeserializer());
		this.orders.pipeInput(UUID.randomUUID().toString(), new EventSerializer().serialize("orders", this.placed));

		assertThat(header(deadLetters.readRecord(), KafkaHeaders.DLT_EXCEPTION_MESSAGE))
			.contains("is not the event's key");
		assertThat(this.decisions.readValuesToList()).isEmpty();
	}

	private EventEnvelope<?> onlyDecision() {
		List<EventEnvelope<?>> values = this.decisions.readValuesToList()
			.stream()
			.filter((event) -> !(event.data() instanceof OrderPlaced))
			.toList();
		assertThat(values).hasSize(1);
		return values.get(0);
	}

	/**
	 * Lets wall-clock time pass while the saga runs: its checks come every second, as
	 * they do on a stream thread that is not stalled.
	 */
	private void run(Duration time) {
		for (long second = 0; second < time.toSeconds(); second++) {
			this.driver.advanceWallClockTime(Duration.ofSeconds(1));
		}
	}

	/**
	 * Lets wall-clock time pass while the saga runs and payment-service answers another
	 * order every second.
	 */
	private void runWhilePaymentServiceAnswersOthers(Duration time) {
		for (long second = 0; second < time.toSeconds(); second++) {
			run(Duration.ofSeconds(1));
			answerAnotherOrder();
		}
	}

	/** payment-service answers an order this task has not read (yet). */
	private void answerAnotherOrder() {
		EventEnvelope<OrderPlaced> other = EventEnvelope.first("/order-service", UUID.randomUUID(),
				OrderPlaced.of("bob", EUR, List.of(new LineItem("PEN-1", 1, new BigDecimal("2.00")))));
		send(this.payments, other.causes("/payment-service", new PaymentAuthorized("bob", other.data().total(), EUR)));
	}

	/** How many records the saga wrote to a store's changelog. */
	private long changelog(String store) {
		return this.driver
			.createOutputTopic("order-service-" + store + "-changelog", new StringDeserializer(),
					new ByteArrayDeserializer())
			.getQueueSize();
	}

	private <E extends PaymentEvent> EventEnvelope<E> payment(E data) {
		return this.placed.causes("/payment-service", data);
	}

	private PaymentDeclined declined(DeclineReason reason) {
		return new PaymentDeclined("alice", reason, this.placed.data().total(), EUR);
	}

	private OrderCancelled cancelled(CancellationReason reason) {
		return new OrderCancelled("alice", reason, this.placed.data().total(), EUR);
	}

	private static void send(TestInputTopic<String, byte[]> topic, EventEnvelope<? extends SagaEvent> event) {
		topic.pipeInput(event.key(), new EventSerializer().serialize("any", event));
	}

	private static void send(TestInputTopic<String, byte[]> topic, EventEnvelope<? extends SagaEvent> event,
			Instant at) {
		topic.pipeInput(event.key(), new EventSerializer().serialize("any", event), at);
	}

	private static String header(TestRecord<String, byte[]> record, String name) {
		return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
	}

}
