package io.ordersaga.order;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;

import io.ordersaga.events.LineItem;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.support.web.IsoCurrency;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /orders}.
 *
 * @param customerId who orders: 1 to 64 letters, digits, dots, underscores or hyphens
 * @param currency the ISO 4217 code of every amount in the order
 * @param items 1 to 100 order lines
 */
@PricedInCurrency
public record PlaceOrderRequest(
		@NotNull @Size(min = 1, max = 64) @Pattern(regexp = "[A-Za-z0-9._-]*",
				message = "must contain only letters, digits, '.', '_' or '-'") String customerId,
		@NotNull @IsoCurrency String currency, @NotNull @Size(min = 1, max = 100) List<@NotNull @Valid Item> items) {

	/**
	 * The event that records this order.
	 * @return the {@code OrderPlaced} payload, its total computed from the items
	 */
	OrderPlaced toEvent() {
		return OrderPlaced.of(this.customerId, Currency.getInstance(this.currency),
				this.items.stream().map(Item::toLineItem).toList());
	}

	/**
	 * One order line.
	 *
	 * @param sku the product: 1 to 64 characters
	 * @param quantity 1 to 1000
	 * @param unitPrice more than 0 and less than 1,000,000, with at most 2 decimals
	 */
	public record Item(@NotBlank @Size(max = 64) String sku, @NotNull @Min(1) @Max(1000) Integer quantity,
			@NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax(value = "1000000",
					inclusive = false) @Digits(integer = 6, fraction = 2) BigDecimal unitPrice) {

		LineItem toLineItem() {
			return new LineItem(this.sku, this.quantity, this.unitPrice);
		}

	}

}
