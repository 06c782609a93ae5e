package io.ordersaga.events;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * payment-service did not charge the customer's account for the order.
 *
 * @param customerId whose account was asked
 * @param reason why the payment was declined
 * @param amount the amount that was asked for
 * @param currency the currency of {@code amount}
 */
public record PaymentDeclined(String customerId, DeclineReason reason, BigDecimal amount,
		Currency currency) implements PaymentEvent {

	public PaymentDeclined {
		Contract.requiredText(customerId, "customerId");
		Contract.required(reason, "reason");
		Contract.required(currency, "currency");
		amount = Money.checked(amount, currency, "amount");
	}

}
