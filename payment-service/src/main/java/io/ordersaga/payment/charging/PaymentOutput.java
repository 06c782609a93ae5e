package io.ordersaga.payment.charging;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.PaymentEvent;

/** What the charging topology writes. */
sealed interface PaymentOutput {

	/** A payment event for {@code payments}, keyed by its order. */
	record Emit(EventEnvelope<? extends PaymentEvent> event) implements PaymentOutput {
	}

	/**
	 * An account's new balance or movement for the accounts topic, keyed as
	 * {@link io.ordersaga.payment.account.AccountStates} says.
	 */
	record State(byte[] account) implements PaymentOutput {
	}

	/** An order event on its way to the customer's partition. */
	record ToCustomer(byte[] value) implements PaymentOutput {
	}

}
