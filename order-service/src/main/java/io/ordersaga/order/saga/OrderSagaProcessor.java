package io.ordersaga.order.saga;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import io.ordersaga.events.CancellationReason;
import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.OrderCancelled;
import io.ordersaga.events.OrderConfirmed;
import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.PaymentAuthorized;
import io.ordersaga.events.PaymentDeclined;
import io.ordersaga.events.PaymentEvent;
import io.ordersaga.events.PaymentRefunded;
import io.ordersaga.events.Topic;
import io.ordersaga.events.kafka.EventCodec;
import io.ordersaga.order.core.OrderMetrics;
import io.ordersaga.order.core.OrderStatus;
import io.ordersaga.support.streams.DeadLetters;
import io.ordersaga.support.streams.RecordTracing;
import io.ordersaga.support.streams.EventRecordProcessor;
import io.ordersaga.support.streams.Output;
import io.ordersaga.support.streams.ProcessingFailures;
import io.ordersaga.support.streams.StoreExpiry;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The saga's decisions, one order at a time. It reads {@code orders} (to learn of new
 * orders) and {@code payments} (to learn their outcome), keeps each order's
 * {@link OrderSaga} in a state store, and writes {@code OrderConfirmed} or
 * {@code OrderCancelled}. Kafka Streams' exactly-once processing commits the store
 * change, the written event and the consumed offset in one transaction, so a crash at any
 * point neither loses nor repeats a decision.
 *
 * <p>
 * Final states are final: a duplicate, late or out-of-order payment event for an order
 * that has ended changes nothing. A payment outcome that arrives before its order (the
 * saga is behind on {@code orders}) is parked until the order arrives. Records that
 * cannot be read go to their topic's dead-letter topic (see
 * {@link EventRecordProcessor}).
 */
class OrderSagaProcessor extends EventRecordProcessor<Output> {

	static final String SOURCE = "/order-service";

	private static final Logger logger = LoggerFactory.getLogger(OrderSagaProcessor.class);

	private final SagaProperties properties;

	private final OrderMetrics metrics;

	private final Duration stateRetention;

	private @Nullable StoreExpiry expiry;

	private @Nullable KeyValueStore<String, OrderSaga> sagas;

	private @Nullable KeyValueStore<String, String> deadlines;

	private @Nullable KeyValueStore<String, byte[]> parkedOutcomes;

	private @Nullable PaymentSilence paymentSilence;

	/**
	 * How many overdue orders waited on a payment-service that is behind, at the last
	 * check.
	 */
	private int waiting;

	OrderSagaProcessor(SagaProperties properties, Duration stateRetention, OrderMetrics metrics, String applicationId,
			RecordTracing tracing, ProcessingFailures failures) {
		super("order-saga", applicationId, tracing, failures);
		this.properties = properties;
		this.stateRetention = stateRetention;
		this.metrics = metrics;
	}

	@Override
	public void init(ProcessorContext<String, Output> context) {
		super.init(context);
		this.sagas = context.getStateStore(OrderSagaTopology.SAGA_STORE);
		this.deadlines = context.getStateStore(OrderSagaTopology.DEADLINE_STORE);
		this.parkedOutcomes = context.getStateStore(OrderSagaTopology.PARKED_OUTCOME_STORE);
		this.paymentSilence = new PaymentSilence(this.properties.paymentSilence(),
				this.properties.timeoutCheckInterval(), context.currentSystemTimeMs());
		context.schedule(this.properties.timeoutCheckInterval(), PunctuationType.WALL_CLOCK_TIME, this::cancelOverdue);
		// A finished saga is kept only to ignore the order's late events, and a parked
		// outcome only until its order comes.
		this.expiry = StoreExpiry.schedule(context, OrderSagaTopology.EXPIRY_STORE, this.stateRetention, Map
			.of(OrderSagaTopology.SAGA_STORE, sagas(), OrderSagaTopology.PARKED_OUTCOME_STORE, parkedOutcomes()));
	}

	@Override
	protected void handle(EventEnvelope<?> event, Record<String, byte[]> record) {
		if (event.data() instanceof PaymentEvent) {
			paymentSilence().heard(context().currentSystemTimeMs());
		}
		switch (event.data()) {
			case OrderPlaced placed -> start(cast(event), record);
			case PaymentAuthorized authorized -> decide(event, record, null);
			case PaymentDeclined declined -> decide(event, record, CancellationReason.of(declined.reason()));
			// Our own outcomes come back on 'orders'; refunds follow a cancellation.
			// Nothing to decide.
			case OrderConfirmed confirmed -> {
			}
			case OrderCancelled cancelled -> {
			}
			case PaymentRefunded refunded -> {
			}
			default -> logger.debug("Ignoring {} for order {}", event.type().token(), event.orderId());
		}
	}

	private void start(EventEnvelope<OrderPlaced> placed, Record<String, byte[]> record) {
		String orderId = placed.key();
		if (sagas().get(orderId) != null) {
			logger.info("Ignoring duplicate OrderPlaced {} for order {}", placed.id(), orderId);
			return;
		}
		// The deadline counts from when the saga learns of the order, so an order placed
		// while
		// order-service was down still gives payment-service the whole timeout.
		Instant now = Instant.ofEpochMilli(context().currentSystemTimeMs());
		Instant deadline = later(placed.time(), now).plus(this.properties.paymentTimeout());
		sagas().put(orderId, OrderSaga.started(placed, deadline, RecordTracing.traceparent(record.headers())));
		deadlines().put(deadlineKey(deadline, orderId), orderId);
		// Read first: a delete writes a tombstone to the changelog even for a
		// key that is not there, a record for every order, and almost none
		// has an outcome parked.
		byte[] parked = parkedOutcomes().get(orderId);
		if (parked != null) {
			parkedOutcomes().delete(orderId);
			logger.info("Applying the payment outcome that arrived before order {}", orderId);
			Record<String, byte[]> outcome = record.withValue(parked);
			try {
				handle(EventCodec.instance().decode(Topic.PAYMENTS.topicName(), parked), outcome);
			}
			catch (IllegalArgumentException ex) {
				// Not the record being processed, so not one Kafka Streams' handler can
				// dead-letter: forwarded to the sink for it. The outcome's offset was not
				// kept; orders and payments are co-partitioned.
				DeadLetters.DeadLetter letter = deadLetterOf(outcome, Topic.PAYMENTS.topicName(),
						context().recordMetadata().orElseThrow().partition(), -1, ex);
				context().forward(new Record<String, Output>(letter.key(),
						new Output(deadLetterTopic(Topic.PAYMENTS.topicName()), letter.value()), record.timestamp(),
						letter.headers()));
			}
		}
	}

	/** Confirms the order, or cancels it when there is a reason. */
	private void decide(EventEnvelope<?> outcome, Record<String, byte[]> record, @Nullable CancellationReason reason) {
		String orderId = outcome.key();
		OrderSaga saga = sagas().get(orderId);
		if (saga == null) {
			if (parkedOutcomes().putIfAbsent(orderId, record.value()) == null) {
				expiry().removeLater(OrderSagaTopology.PARKED_OUTCOME_STORE, orderId, context().currentStreamTimeMs());
			}
			return;
		}
		if (saga.status().isFinal()) {
			logger.info("Order {} is already {}; ignoring {} {}", orderId, saga.status(), outcome.type().token(),
					outcome.id());
			return;
		}
		String mismatch = saga.mismatch((PaymentEvent) outcome.data());
		if (mismatch != null) {
			throw new IllegalArgumentException(
					outcome.type().token() + " " + outcome.id() + " does not match order " + orderId + ": " + mismatch);
		}
		EventEnvelope<? extends OrderEvent> result = (reason != null)
				? outcome.causes(SOURCE, saga.cancellation(reason)) : outcome.causes(SOURCE, saga.confirmation());
		end(saga, orderId, (reason != null) ? OrderStatus.CANCELLED : OrderStatus.CONFIRMED);
		forward(orderId, Output.event(result), result.time().toEpochMilli());
		this.metrics.record(result.data());
		this.metrics.ended(result.data(), Duration.between(startOf(saga), result.time()));
	}

	/**
	 * Cancels the orders past their deadline, unless payment-service is only behind:
	 * while it keeps answering other orders, an overdue order waits for its own answer,
	 * up to the grace past its deadline (see {@link PaymentSilence}).
	 */
	private void cancelOverdue(long now) {
		boolean silent = paymentSilence().silent(now);
		List<KeyValue<String, String>> overdue = new ArrayList<>();
		try (KeyValueIterator<String, String> due = deadlines().range(null,
				deadlineKey(Instant.ofEpochMilli(now), ""))) {
			due.forEachRemaining(overdue::add);
		}
		int stillWaiting = 0;
		for (KeyValue<String, String> entry : overdue) {
			OrderSaga saga = sagas().get(entry.value);
			if (saga == null || saga.status().isFinal()) {
				deadlines().delete(entry.key);
				continue;
			}
			if (!silent && now < saga.deadline().plus(this.properties.paymentGrace()).toEpochMilli()) {
				stillWaiting++;
				continue;
			}
			deadlines().delete(entry.key);
			tracing().within("order-saga timeout", saga.traceparent(), () -> timeOut(saga, entry.value, now));
		}
		if (stillWaiting > 0 && this.waiting == 0) {
			logger.info(
					"{} orders are past their payment timeout, but payment-service answered {} ms ago: "
							+ "they wait for their outcome, up to {} more",
					stillWaiting, paymentSilence().sinceHeard(now).toMillis(), this.properties.paymentGrace());
		}
		this.waiting = stillWaiting;
	}

	private void timeOut(OrderSaga saga, String orderId, long now) {
		EventEnvelope<OrderCancelled> cancelled = EventEnvelope.next(SOURCE, UUID.fromString(orderId),
				saga.correlationId(), saga.placedEventId(), saga.cancellation(CancellationReason.PAYMENT_TIMEOUT));
		end(saga, orderId, OrderStatus.CANCELLED);
		context().forward(new Record<String, Output>(orderId, Output.event(cancelled), now,
				tracing().inject(new RecordHeaders())));
		this.metrics.record(cancelled.data());
		this.metrics.ended(cancelled.data(), Duration.between(startOf(saga), Instant.ofEpochMilli(now)));
		logger.info("Order {} cancelled: no payment outcome within {}, and payment-service last answered {} ms ago",
				orderId, this.properties.paymentTimeout(), paymentSilence().sinceHeard(now).toMillis());
	}

	/**
	 * When a saga started: its deadline less the payment timeout, the deadline being
	 * counted from the start (see {@link #start}). Not stored apart, so the saga's stored
	 * form stays as it is.
	 */
	private Instant startOf(OrderSaga saga) {
		return saga.deadline().minus(this.properties.paymentTimeout());
	}

	private void end(OrderSaga saga, String orderId, OrderStatus status) {
		sagas().put(orderId, saga.withStatus(status));
		deadlines().delete(deadlineKey(saga.deadline(), orderId));
		expiry().removeLater(OrderSagaTopology.SAGA_STORE, orderId, context().currentStreamTimeMs());
	}

	/**
	 * Deadline keys sort by time, so the overdue orders are one range scan.
	 */
	static String deadlineKey(Instant deadline, String orderId) {
		return StoreExpiry.timeKey(deadline.toEpochMilli(), orderId);
	}

	private static Instant later(Instant a, Instant b) {
		return a.isAfter(b) ? a : b;
	}

	@SuppressWarnings("unchecked")
	private static EventEnvelope<OrderPlaced> cast(EventEnvelope<?> event) {
		return (EventEnvelope<OrderPlaced>) event;
	}

	private KeyValueStore<String, OrderSaga> sagas() {
		return Objects.requireNonNull(this.sagas, "not initialized");
	}

	private KeyValueStore<String, String> deadlines() {
		return Objects.requireNonNull(this.deadlines, "not initialized");
	}

	private StoreExpiry expiry() {
		return Objects.requireNonNull(this.expiry, "not initialized");
	}

	private PaymentSilence paymentSilence() {
		return Objects.requireNonNull(this.paymentSilence, "not initialized");
	}

	private KeyValueStore<String, byte[]> parkedOutcomes() {
		return Objects.requireNonNull(this.parkedOutcomes, "not initialized");
	}

}
