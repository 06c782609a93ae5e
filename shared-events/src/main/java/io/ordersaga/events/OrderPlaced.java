package io.ordersaga.events;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;

/**
 * A customer placed an order; payment-service is asked to charge its total.
 *
 * @param customerId who placed the order
 * @param items the order lines, at least one
 * @param currency the ISO 4217 currency of every amount in the order
 * @param total the sum of the lines' subtotals
 */
public record OrderPlaced(String customerId, List<LineItem> items, Currency currency,
		BigDecimal total) implements OrderEvent {

	public OrderPlaced {
		Contract.requiredText(customerId, "customerId");
		items = List.copyOf(Contract.requiredNotEmpty(items, "items"));
		Contract.required(currency, "currency");
		Contract.positive(total, "total");
		BigDecimal sum = items.stream().map(LineItem::subtotal).reduce(BigDecimal.ZERO, BigDecimal::add);
		if (sum.compareTo(total) != 0) {
			throw new IllegalArgumentException("'total' must equal the sum of the items, " + sum.toPlainString()
					+ ", was " + total.toPlainString());
		}
	}

	/**
	 * An order whose total is computed from its items.
	 * @param customerId who placed the order
	 * @param currency the currency of the order
	 * @param items the order lines
	 * @return the event
	 */
	public static OrderPlaced of(String customerId, Currency currency, List<LineItem> items) {
		BigDecimal total = items.stream().map(LineItem::subtotal).reduce(BigDecimal.ZERO, BigDecimal::add);
		return new OrderPlaced(customerId, items, currency, total);
	}

}
