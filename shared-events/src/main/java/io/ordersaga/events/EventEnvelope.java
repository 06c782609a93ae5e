package io.ordersaga.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An event with its metadata, written on the wire as a CloudEvents 1.0 JSON document in
 * structured mode:
 *
 * <pre>
 * { "specversion": "1.0", "id": ..., "source": ..., "type": ..., "schemaversion": 1,
 *   "time": ..., "subject": orderId, "correlationid": ..., "causationid": ...,
 *   "datacontenttype": "application/json", "data": { ...the payload... } }
 * </pre>
 *
 * @param <E> the payload type
 * @param id unique per event; consumers deduplicate on it
 * @param source the producing service, as a URI reference such as {@code /order-service}
 * @param time when the fact happened
 * @param orderId the order the event belongs to; the record key and the CloudEvents
 * {@code subject}
 * @param correlationId shared by every event of one saga
 * @param causationId the id of the event that caused this one, absent for the first
 * @param schemaVersion the schema version of the payload as written by the producer
 * @param data the payload
 */
public record EventEnvelope<E extends SagaEvent>(UUID id, String source, Instant time, UUID orderId, UUID correlationId,
		@Nullable UUID causationId, int schemaVersion, E data) {

	/** The CloudEvents version this contract follows. */
	public static final String SPEC_VERSION = "1.0";

	public EventEnvelope {
		Contract.required(id, "id");
		Contract.requiredText(source, "source");
		Contract.required(time, "time");
		Contract.required(orderId, "subject");
		Contract.required(correlationId, "correlationid");
		Contract.required(data, "data");
		if (schemaVersion < 1) {
			throw new IllegalArgumentException("'schemaversion' must be at least 1, was " + schemaVersion);
		}
	}

	/**
	 * The first event of a saga, which starts a new correlation.
	 * @param <E> the payload type
	 * @param source the producing service
	 * @param orderId the order
	 * @param data the payload
	 * @return an envelope with a new id and the current time
	 */
	public static <E extends SagaEvent> EventEnvelope<E> first(String source, UUID orderId, E data) {
		UUID id = UUID.randomUUID();
		return new EventEnvelope<>(id, source, now(), orderId, id, null, EventType.of(data).schemaVersion(), data);
	}

	/**
	 * An event in an existing saga, for a producer that kept the ids of the saga rather
	 * than the event that caused it (for example a timeout).
	 * @param <E> the payload type
	 * @param source the producing service
	 * @param orderId the order
	 * @param correlationId the saga's correlation id
	 * @param causationId the id of the event that caused this one
	 * @param data the payload
	 * @return an envelope with a new id and the current time
	 */
	public static <E extends SagaEvent> EventEnvelope<E> next(String source, UUID orderId, UUID correlationId,
			UUID causationId, E data) {
		return new EventEnvelope<>(UUID.randomUUID(), source, now(), orderId, correlationId, causationId,
				EventType.of(data).schemaVersion(), data);
	}

	/**
	 * An event caused by this one: same order and correlation, caused by this event.
	 * @param <F> the payload type of the new event
	 * @param source the producing service
	 * @param data the new payload
	 * @return an envelope with a new id and the current time
	 */
	public <F extends SagaEvent> EventEnvelope<F> causes(String source, F data) {
		return next(source, this.orderId, this.correlationId, this.id, data);
	}

	/**
	 * The type of the payload.
	 * @return the event type
	 */
	public EventType type() {
		return EventType.of(this.data);
	}

	/**
	 * The record key this event is published with.
	 * @return the order id as a string
	 */
	public String key() {
		return this.orderId.toString();
	}

	/**
	 * The topic this event is published to.
	 * @return the topic's name
	 */
	public String topicName() {
		return type().topic().topicName();
	}

	private static Instant now() {
		// Microseconds are what the clock really resolves on most machines and keep the
		// JSON short.
		return Instant.now().truncatedTo(ChronoUnit.MICROS);
	}

}
