package io.ordersaga.payment.account;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.ordersaga.events.Money;

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
	 * What a customer id may be: 1 to 64 letters, digits, dots, underscores or hyphens. A
	 * command for any other id cannot be read, so it goes to the dead-letter topic; the
	 * accounts topic relies on ids without a slash ({@link AccountStates}).
	 */
	String CUSTOMER_ID = AccountCommand.CUSTOMER_ID_CHARACTER + "{1,64}";

	/** One character of a customer id, for checks that test the length apart. */
	String CUSTOMER_ID_CHARACTER = "[A-Za-z0-9._-]";

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
	 * Opens an account with a starting balance unless the customer already has one. The
	 * balance may be zero; otherwise it is an amount of the currency ({@link Money}).
	 *
	 * @param commandId the command's id
	 * @param customerId the customer
	 * @param currency the account's currency
	 * @param balance the starting balance
	 */
	record Open(UUID commandId, String customerId, Currency currency, BigDecimal balance) implements AccountCommand {

		public Open {
			CustomerIds.check(customerId);
			if (balance == null || balance.signum() != 0) {
				balance = Money.checked(balance, currency, "balance");
			}
		}

	}

	/**
	 * Puts money into an account, opening it in the given currency if the customer has
	 * none.
	 *
	 * @param commandId the command's id
	 * @param customerId the customer
	 * @param amount how much: a positive amount of the currency ({@link Money})
	 * @param currency the currency of the amount
	 */
	record Credit(UUID commandId, String customerId, BigDecimal amount, Currency currency) implements AccountCommand {

		public Credit {
			CustomerIds.check(customerId);
			amount = Money.checked(amount, currency, "amount");
		}

	}

	/** Checks customer ids against {@link #CUSTOMER_ID}. */
	final class CustomerIds {

		private static final Pattern VALID = Pattern.compile(CUSTOMER_ID);

		private CustomerIds() {
		}

		static void check(String customerId) {
			if (!VALID.matcher(customerId).matches()) {
				throw new IllegalArgumentException(
						"customerId '" + customerId + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
			}
		}

	}

}
