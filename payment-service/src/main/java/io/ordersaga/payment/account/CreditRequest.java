package io.ordersaga.payment.account;

import java.math.BigDecimal;

import io.ordersaga.support.web.IsoCurrency;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /accounts/{customerId}/credits}.
 *
 * @param amount more than 0 and less than 1,000,000, with at most 2 decimals
 * @param currency the ISO 4217 code of the amount; the account's currency if omitted, EUR
 * for a new account
 */
public record CreditRequest(
		@NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax(value = "1000000",
				inclusive = false) @Digits(integer = 6, fraction = 2) BigDecimal amount,
		@IsoCurrency @Nullable String currency) {

}
