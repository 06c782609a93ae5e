package io.ordersaga.payment.account;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * What the charging topology keeps of an account: its balance and how many movements made
 * it. The movements themselves are written once each, beside it (see
 * {@link AccountStates}), so a charge reads and writes this small record, not the
 * account's history.
 *
 * @param customerId whose account it is
 * @param currency the one currency it is kept in
 * @param balance what it holds
 * @param movementCount how many movements it has had, which is the sequence number of the
 * latest
 */
public record AccountBalance(String customerId, Currency currency, BigDecimal balance, long movementCount) {

	/**
	 * Reads a balance as JSON has it. One written before movements were kept apart has no
	 * {@code movementCount} but the movements themselves, which are not read: such an
	 * account keeps its balance and starts its movements again from 1.
	 */
	@JsonCreator
	static AccountBalance fromJson(@JsonProperty("customerId") String customerId,
			@JsonProperty("currency") Currency currency, @JsonProperty("balance") BigDecimal balance,
			@JsonProperty("movementCount") @Nullable Long movementCount) {
		return new AccountBalance(customerId, currency, balance, (movementCount != null) ? movementCount : 0);
	}

	public static AccountBalance open(String customerId, Currency currency) {
		return new AccountBalance(customerId, currency, BigDecimal.ZERO.setScale(2), 0);
	}

	public boolean covers(BigDecimal amount) {
		return this.balance.compareTo(amount) >= 0;
	}

	public Change credit(BigDecimal amount, @Nullable UUID commandId, Instant time) {
		return apply(Movement.Type.CREDIT, amount, this.balance.add(amount), null, commandId, time);
	}

	public Change charge(BigDecimal amount, UUID orderId, Instant time) {
		return apply(Movement.Type.CHARGE, amount, this.balance.subtract(amount), orderId, null, time);
	}

	public Change refund(BigDecimal amount, UUID orderId, Instant time) {
		return apply(Movement.Type.REFUND, amount, this.balance.add(amount), orderId, null, time);
	}

	private Change apply(Movement.Type type, BigDecimal amount, BigDecimal balanceAfter, @Nullable UUID orderId,
			@Nullable UUID commandId, Instant time) {
		long sequence = this.movementCount + 1;
		return new Change(new AccountBalance(this.customerId, this.currency, balanceAfter, sequence),
				new Movement(sequence, type, amount, balanceAfter, orderId, commandId, time));
	}

	/**
	 * A movement and the balance it leaves.
	 *
	 * @param balance the account after it
	 * @param movement the movement
	 */
	public record Change(AccountBalance balance, Movement movement) {
	}

}
