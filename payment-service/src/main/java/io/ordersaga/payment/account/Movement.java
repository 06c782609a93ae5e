package io.ordersaga.payment.account;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * One change of an account's balance.
 *
 * @param sequence its number among the account's movements, from 1
 * @param type what changed it
 * @param amount by how much, always positive
 * @param balanceAfter the balance after it
 * @param orderId the order behind a charge or refund
 * @param commandId the request behind a credit, which makes a retried credit recognisable
 * @param time when it happened
 */
public record Movement(long sequence, Type type, BigDecimal amount, BigDecimal balanceAfter, @Nullable UUID orderId,
		@Nullable UUID commandId, Instant time) {

	/** Kinds of movement. */
	public enum Type {

		/** Money put in by the customer or the demo set-up. */
		CREDIT,

		/** Money taken for an order. */
		CHARGE,

		/** A charge given back because its order was cancelled. */
		REFUND

	}

}
