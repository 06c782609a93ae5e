package io.ordersaga.events;

import java.math.BigDecimal;

/**
 * One line of an order.
 *
 * @param sku the product's stock-keeping unit
 * @param quantity how many, at least one
 * @param unitPrice the price of one unit in the order's currency, positive
 */
public record LineItem(String sku, int quantity, BigDecimal unitPrice) {

	public LineItem {
		Contract.requiredText(sku, "sku");
		if (quantity < 1) {
			throw new IllegalArgumentException("'quantity' must be at least 1, was " + quantity);
		}
		// The currency is the order's: OrderPlaced checks its minor units.
		unitPrice = Money.checked(unitPrice, null, "unitPrice");
	}

	/**
	 * The line's amount.
	 * @return {@code quantity × unitPrice}, exact
	 */
	public BigDecimal subtotal() {
		return this.unitPrice.multiply(BigDecimal.valueOf(this.quantity));
	}

}
