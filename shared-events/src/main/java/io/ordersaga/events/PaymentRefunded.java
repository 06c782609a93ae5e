package io.ordersaga.events;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * payment-service gave back a charge because the order was cancelled after it.
 *
 * @param customerId whose account was credited
 * @param amount the amount given back
 * @param currency the currency of {@code amount}
 */
public record PaymentRefunded(String customerId, BigDecimal amount, Currency currency) implements PaymentEvent {

	public PaymentRefunded {
		Contract.requiredText(customerId, "customerId");
		Contract.required(currency, "currency");
		amount = Money.checked(amount, currency, "amount");
	}

}
