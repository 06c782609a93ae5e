package io.ordersaga.events;

/**
 * A fact in the order saga. Each permitted interface groups the events one service
 * produces, so a {@code switch} over them is exhaustive.
 */
public sealed interface SagaEvent permits OrderEvent, PaymentEvent, NotificationEvent {

	/**
	 * The customer the event concerns, so every consumer can act on it without a lookup.
	 * @return the customer id
	 */
	String customerId();

}
