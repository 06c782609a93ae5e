package io.ordersaga.payment.account;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A customer's account: a balance in one currency and its most recent movements.
 *
 * @param customerId whose account it is
 * @param currency the one currency it is kept in
 * @param balance what it holds
 * @param movements the most recent changes, newest first
 */
public record Account(String customerId, Currency currency, BigDecimal balance, List<Movement> movements) {

	/** How many movements an account shows. */
	static final int RECENT_MOVEMENTS = 20;

	public Account {
		movements = List.copyOf(movements);
	}

	public static Account open(String customerId, Currency currency) {
		return new Account(customerId, currency, BigDecimal.ZERO.setScale(2), List.of());
	}

	public Account credit(BigDecimal amount, @Nullable UUID commandId, Instant time) {
		return apply(Movement.Type.CREDIT, amount, this.balance.add(amount), null, commandId, time);
	}

	public Account charge(BigDecimal amount, UUID orderId, Instant time) {
		return apply(Movement.Type.CHARGE, amount, this.balance.subtract(amount), orderId, null, time);
	}

	public Account refund(BigDecimal amount, UUID orderId, Instant time) {
		return apply(Movement.Type.REFUND, amount, this.balance.add(amount), orderId, null, time);
	}

	public boolean covers(BigDecimal amount) {
		return this.balance.compareTo(amount) >= 0;
	}

	/**
	 * The movement a credit request made, if it is still among the recent ones.
	 * @param commandId the request's id
	 * @return the movement, or {@code null}
	 */
	public @Nullable Movement movementOf(UUID commandId) {
		return this.movements.stream().filter((m) -> commandId.equals(m.commandId())).findFirst().orElse(null);
	}

	private Account apply(Movement.Type type, BigDecimal amount, BigDecimal balanceAfter, @Nullable UUID orderId,
			@Nullable UUID commandId, Instant time) {
		List<Movement> recent = new ArrayList<>(RECENT_MOVEMENTS);
		recent.add(new Movement(type, amount, balanceAfter, orderId, commandId, time));
		this.movements.stream().limit(RECENT_MOVEMENTS - 1).forEach(recent::add);
		return new Account(this.customerId, this.currency, balanceAfter, recent);
	}

}
