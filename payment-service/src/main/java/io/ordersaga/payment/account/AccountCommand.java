package io.ordersaga.payment.account;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A request to change an account, written by the REST API (or the demo set-up) to
 * payment-service's command topic and applied by the charging topology, one customer at a
 * time, exactly once per command id.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({ @JsonSubTypes.Type(value = AccountCommand.Open.class, name = "Open"),
		@JsonSubTypes.Type(value = AccountCommand.Credit.class, name = "Credit") })
public sealed interface AccountCommand {

	/**
	 * The command's id; applying the same id twice has the effect of applying it once.
	 * @return the id
	 */
	UUID commandId();

	/**
	 * The customer whose account it changes; the command topic's key.
	 * @return the customer id
	 */
	String customerId();

	/**
	 * Opens an account with a starting balance unless the customer already has one.
	 *
	 * @param commandId the command's id
	 * @param customerId the customer
	 * @param currency the account's currency
	 * @param balance the starting balance
	 */
	record Open(UUID commandId, String customerId, Currency currency, BigDecimal balance) implements AccountCommand {
	}

	/**
	 * Puts money into an account, opening it in the given currency if the customer has
	 * none.
	 *
	 * @param commandId the command's id
	 * @param customerId the customer
	 * @param amount how much, positive
	 * @param currency the currency of the amount
	 */
	record Credit(UUID commandId, String customerId, BigDecimal amount, Currency currency) implements AccountCommand {
	}

}
