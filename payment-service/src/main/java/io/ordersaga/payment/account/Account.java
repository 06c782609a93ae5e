package io.ordersaga.payment.account;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A customer's account as the API shows it: a balance in one currency and its most recent
 * movements.
 *
 * @param customerId whose account it is
 * @param currency the one currency it is kept in
 * @param balance what it holds
 * @param movements the most recent changes, newest first
 */
public record Account(String customerId, Currency currency, BigDecimal balance, List<Movement> movements) {

	public Account {
		movements = List.copyOf(movements);
	}

	/**
	 * An account with no movements, as it is before its first credit.
	 * @param customerId the customer
	 * @param currency the currency it is kept in
	 * @return the account
	 */
	public static Account open(String customerId, Currency currency) {
		AccountBalance opened = AccountBalance.open(customerId, currency);
		return new Account(customerId, currency, opened.balance(), List.of());
	}

	/**
	 * The movement a credit request made, if it is still among the recent ones.
	 * @param commandId the request's id
	 * @return the movement, or {@code null}
	 */
	public @Nullable Movement movementOf(UUID commandId) {
		return this.movements.stream().filter((m) -> commandId.equals(m.commandId())).findFirst().orElse(null);
	}

}
