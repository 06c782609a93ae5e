package io.ordersaga.events;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * The order was paid for; it is final.
 *
 * @param customerId who placed the order
 * @param total the amount charged
 * @param currency the currency of {@code total}
 */
public record OrderConfirmed(String customerId, BigDecimal total, Currency currency) implements OrderEvent {

	public OrderConfirmed {
		Contract.requiredText(customerId, "customerId");
		Contract.required(currency, "currency");
		total = Money.checked(total, currency, "total");
	}

}
