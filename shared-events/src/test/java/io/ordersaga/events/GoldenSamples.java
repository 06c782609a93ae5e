package io.ordersaga.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.ordersaga.events.NotificationSent.Channel;

/**
 * The events behind the golden JSON samples under {@code contract/samples}: each sample
 * file, keyed by its path, with the envelope it must deserialize to. A new schema version
 * adds an entry and a sample; existing entries and samples are never changed.
 */
public final class GoldenSamples {

	static final UUID ORDER_ID = UUID.fromString("5f0c6b1e-8d2a-4c5e-9b7a-3e1f2d4c6a80");

	static final UUID ORDER_PLACED_ID = UUID.fromString("0b7e4f7a-1c9d-4a55-8f5e-2d6b9c1a7e01");

	static final UUID PAYMENT_ID = UUID.fromString("0b7e4f7a-1c9d-4a55-8f5e-2d6b9c1a7e02");

	static final UUID OUTCOME_ID = UUID.fromString("0b7e4f7a-1c9d-4a55-8f5e-2d6b9c1a7e03");

	static final Currency EUR = Currency.getInstance("EUR");

	static final OrderPlaced ORDER_PLACED = new OrderPlaced("alice", List
		.of(new LineItem("BOOK-1", 2, new BigDecimal("12.50")), new LineItem("PEN-7", 1, new BigDecimal("3.99"))), EUR,
			new BigDecimal("28.99"));

	/**
	 * Version 2 of the types with amounts bounds the amounts ({@link Money}); their
	 * samples are those of version 1 otherwise.
	 */
	private static final OrderConfirmed ORDER_CONFIRMED = new OrderConfirmed("alice", new BigDecimal("28.99"), EUR);

	private static final OrderCancelled ORDER_CANCELLED = new OrderCancelled("alice",
			CancellationReason.INSUFFICIENT_FUNDS, new BigDecimal("28.99"), EUR);

	private static final PaymentAuthorized PAYMENT_AUTHORIZED = new PaymentAuthorized("alice", new BigDecimal("28.99"),
			EUR);

	private static final PaymentDeclined PAYMENT_DECLINED = new PaymentDeclined("alice",
			DeclineReason.INSUFFICIENT_FUNDS, new BigDecimal("28.99"), EUR);

	private static final PaymentRefunded PAYMENT_REFUNDED = new PaymentRefunded("alice", new BigDecimal("28.99"), EUR);

	static final Map<String, EventEnvelope<?>> SAMPLES = Map.ofEntries(
			sample(1, ORDER_PLACED_ID, "/order-service", null, ORDER_PLACED),
			sample(2, ORDER_PLACED_ID, "/order-service", null, ORDER_PLACED),
			sample(1, OUTCOME_ID, "/order-service", PAYMENT_ID, ORDER_CONFIRMED),
			sample(2, OUTCOME_ID, "/order-service", PAYMENT_ID, ORDER_CONFIRMED),
			sample(1, OUTCOME_ID, "/order-service", PAYMENT_ID, ORDER_CANCELLED),
			sample(2, OUTCOME_ID, "/order-service", PAYMENT_ID, ORDER_CANCELLED),
			sample(1, PAYMENT_ID, "/payment-service", ORDER_PLACED_ID, PAYMENT_AUTHORIZED),
			sample(2, PAYMENT_ID, "/payment-service", ORDER_PLACED_ID, PAYMENT_AUTHORIZED),
			sample(1, PAYMENT_ID, "/payment-service", ORDER_PLACED_ID, PAYMENT_DECLINED),
			sample(2, PAYMENT_ID, "/payment-service", ORDER_PLACED_ID, PAYMENT_DECLINED),
			sample(1, PAYMENT_ID, "/payment-service", OUTCOME_ID, PAYMENT_REFUNDED),
			sample(2, PAYMENT_ID, "/payment-service", OUTCOME_ID, PAYMENT_REFUNDED),
			sample(1, UUID.fromString("0b7e4f7a-1c9d-4a55-8f5e-2d6b9c1a7e04"), "/notification-service", OUTCOME_ID,
					new NotificationSent(UUID.fromString("7a3d2c1b-0e9f-5a8b-b7c6-d5e4f3a2b1c0"), "alice",
							Channel.IN_APP, "Your order is confirmed",
							"We received your payment of 28.99 EUR. Your order is confirmed.", OUTCOME_ID,
							"OrderConfirmed")));

	/**
	 * One event of each type, as written by the current version.
	 * @return the events of the current samples
	 */
	public static List<EventEnvelope<?>> currentEvents() {
		return Arrays.stream(EventType.values()).<EventEnvelope<?>>map(GoldenSamples::currentEvent).toList();
	}

	/**
	 * The event of a type's current sample, as this build writes it.
	 * @param type the event type
	 * @return the event of its current sample
	 */
	public static EventEnvelope<?> currentEvent(EventType type) {
		return SAMPLES.get(currentSamplePath(type));
	}

	/** The path of the sample for an event type's current schema version. */
	public static String currentSamplePath(EventType type) {
		return ContractFiles.samplePath(type, type.schemaVersion());
	}

	/**
	 * A sample's path and event. The version is the sample's own, not the type's current
	 * one, so that raising a type's version leaves the entries of older samples as they
	 * are.
	 */
	private static <E extends SagaEvent> Map.Entry<String, EventEnvelope<E>> sample(int version, UUID id, String source,
			UUID causationId, E data) {
		return Map.entry(ContractFiles.samplePath(EventType.of(data), version), new EventEnvelope<>(id, source,
				Instant.parse("2026-11-24T09:15:30.123456Z"), ORDER_ID, ORDER_PLACED_ID, causationId, version, data));
	}

	private GoldenSamples() {
	}

}
