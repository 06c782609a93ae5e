package io.ordersaga.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The registry of event types: the type token written on the wire (the CloudEvents
 * {@code type} attribute), the current schema version, the record that carries the
 * payload and the topic the event is published to. Type tokens are stable names, never
 * Java class names: renaming or moving a record does not change the wire format.
 */
public enum EventType {

	ORDER_PLACED("OrderPlaced", 2, OrderPlaced.class, Topic.ORDERS),

	ORDER_CONFIRMED("OrderConfirmed", 2, OrderConfirmed.class, Topic.ORDERS),

	ORDER_CANCELLED("OrderCancelled", 2, OrderCancelled.class, Topic.ORDERS),

	PAYMENT_AUTHORIZED("PaymentAuthorized", 2, PaymentAuthorized.class, Topic.PAYMENTS),

	PAYMENT_DECLINED("PaymentDeclined", 2, PaymentDeclined.class, Topic.PAYMENTS),

	PAYMENT_REFUNDED("PaymentRefunded", 2, PaymentRefunded.class, Topic.PAYMENTS),

	NOTIFICATION_SENT("NotificationSent", 1, NotificationSent.class, Topic.NOTIFICATIONS);

	private static final Map<String, EventType> BY_TOKEN = Arrays.stream(values())
		.collect(Collectors.toUnmodifiableMap(EventType::token, Function.identity()));

	private static final Map<Class<?>, EventType> BY_PAYLOAD = Arrays.stream(values())
		.collect(Collectors.toUnmodifiableMap(EventType::payloadType, Function.identity()));

	private final String token;

	private final int schemaVersion;

	private final Class<? extends SagaEvent> payloadType;

	private final Topic topic;

	EventType(String token, int schemaVersion, Class<? extends SagaEvent> payloadType, Topic topic) {
		this.token = token;
		this.schemaVersion = schemaVersion;
		this.payloadType = payloadType;
		this.topic = topic;
	}

	/**
	 * The type token on the wire.
	 * @return for example {@code OrderPlaced}
	 */
	public String token() {
		return this.token;
	}

	/**
	 * The schema version this build writes. Readers accept newer versions too, because a
	 * version only ever adds optional fields.
	 * @return the current schema version, starting at 1
	 */
	public int schemaVersion() {
		return this.schemaVersion;
	}

	/**
	 * The record carrying this type's payload.
	 * @return the payload class
	 */
	public Class<? extends SagaEvent> payloadType() {
		return this.payloadType;
	}

	/**
	 * Where events of this type are published.
	 * @return the topic
	 */
	public Topic topic() {
		return this.topic;
	}

	/**
	 * Looks up a type token read from the wire.
	 * @param token the token
	 * @return the type, or empty if this build does not know the token
	 */
	public static Optional<EventType> forToken(String token) {
		return Optional.ofNullable(BY_TOKEN.get(token));
	}

	/**
	 * The type of a payload.
	 * @param payload an event
	 * @return its type
	 */
	public static EventType of(SagaEvent payload) {
		EventType type = BY_PAYLOAD.get(payload.getClass());
		if (type == null) {
			throw new IllegalStateException(payload.getClass().getName() + " is not registered in EventType");
		}
		return type;
	}

}
