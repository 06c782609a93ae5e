package io.ordersaga.events;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * The order was cancelled; it is final. If payment-service had charged it, it refunds.
 *
 * @param customerId who placed the order
 * @param reason why it was cancelled
 * @param total the order's total
 * @param currency the currency of {@code total}
 */
public record OrderCancelled(String customerId, CancellationReason reason, BigDecimal total,
		Currency currency) implements OrderEvent {

	public OrderCancelled {
		Contract.requiredText(customerId, "customerId");
		Contract.required(reason, "reason");
		Contract.required(currency, "currency");
		total = Money.checked(total, currency, "total");
	}

}
