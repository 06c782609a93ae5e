package io.ordersaga.payment.charging;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * What payment-service decided for one order. Remembered per order, so a redelivered
 * {@code OrderPlaced} is recognised and a cancellation refunds a charge once.
 *
 * @param status the decision
 * @param customerId whose account it concerns
 * @param amount the order's total
 * @param currency its currency
 */
record PaymentDecision(Status status, String customerId, BigDecimal amount, Currency currency) {

	PaymentDecision with(Status newStatus) {
		return new PaymentDecision(newStatus, this.customerId, this.amount, this.currency);
	}

	enum Status {

		/** Charged. */
		AUTHORIZED,

		/** Not charged. */
		DECLINED,

		/** Charged, then given back. */
		REFUNDED,

		/** Cancelled before payment-service saw the order; it must never be charged. */
		CANCELLED_UNCHARGED

	}

}
