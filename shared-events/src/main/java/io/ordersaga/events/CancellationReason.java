package io.ordersaga.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why an order was cancelled. On the wire it is a plain string code. The set is open: a
 * consumer must accept codes it does not know, so new reasons never break old consumers.
 *
 * @param code an upper-case code such as {@code PAYMENT_TIMEOUT}
 */
public record CancellationReason(@JsonValue String code) {

	/** The customer's balance did not cover the order. */
	public static final CancellationReason INSUFFICIENT_FUNDS = new CancellationReason("INSUFFICIENT_FUNDS");

	/** payment-service has no account for the customer. */
	public static final CancellationReason UNKNOWN_CUSTOMER = new CancellationReason("UNKNOWN_CUSTOMER");

	/** The customer's account is kept in another currency than the order's. */
	public static final CancellationReason CURRENCY_MISMATCH = new CancellationReason("CURRENCY_MISMATCH");

	/** No payment outcome arrived in time. */
	public static final CancellationReason PAYMENT_TIMEOUT = new CancellationReason("PAYMENT_TIMEOUT");

	public CancellationReason {
		Contract.reasonCode(code);
	}

	@JsonCreator
	public static CancellationReason of(String code) {
		return new CancellationReason(code);
	}

	/**
	 * The cancellation that follows a declined payment keeps the payment's reason.
	 * @param reason why the payment was declined
	 * @return the same code as a cancellation reason
	 */
	public static CancellationReason of(DeclineReason reason) {
		return new CancellationReason(reason.code());
	}

	@Override
	public String toString() {
		return this.code;
	}

}
