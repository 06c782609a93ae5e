package io.ordersaga.order.core;

/** Where an order is in the saga. Both outcomes are final. */
public enum OrderStatus {

	/** Placed; waiting for payment-service. */
	PENDING_PAYMENT,

	/** Paid. */
	CONFIRMED,

	/** Not paid: declined, unknown customer or timed out. */
	CANCELLED;

	/**
	 * Whether the saga has ended for this order.
	 * @return {@code true} for confirmed and cancelled orders
	 */
	public boolean isFinal() {
		return this != PENDING_PAYMENT;
	}

}
