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
		Contract.required(currency, "currency");
		items = inCurrency(Contract.requiredNotEmpty(items, "items"), currency);
		total = Money.checked(total, currency, "total");
		BigDecimal sum = items.stream().map(LineItem::subtotal).reduce(BigDecimal.ZERO, BigDecimal::add);
		if (sum.compareTo(total) != 0) {
			throw new IllegalArgumentException("'total' must equal the sum of the items, " + sum.toPlainString()
					+ ", was " + total.toPlainString());
		}
	}

	/** The items, each with a unit price checked against the currency's minor units. */
	private static List<LineItem> inCurrency(List<LineItem> items, Currency currency) {
		LineItem[] checked = new LineItem[items.size()];
		for (int i = 0; i < checked.length; i++) {
			LineItem item = Contract.required(items.get(i), "items[" + i + "]");
			BigDecimal price = Money.checked(item.unitPrice(), currency, "items[" + i + "].unitPrice");
			checked[i] = (price == item.unitPrice()) ? item : new LineItem(item.sku(), item.quantity(), price);
		}
		return List.of(checked);
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
