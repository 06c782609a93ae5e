package io.ordersaga.events;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * payment-service charged the customer's account for the order.
 *
 * @param customerId whose account was charged
 * @param amount the amount charged
 * @param currency the currency of {@code amount}
 */
public record PaymentAuthorized(String customerId, BigDecimal amount, Currency currency) implements PaymentEvent {

	public PaymentAuthorized {
		Contract.requiredText(customerId, "customerId");
		Contract.required(currency, "currency");
		amount = Money.checked(amount, currency, "amount");
	}

}
