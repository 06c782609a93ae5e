package io.ordersaga.payment.account;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** How an account is put together from its balance and its movements' records. */
class AccountStatesTests {

	private static final Currency EUR = Currency.getInstance("EUR");

	private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

	private final Map<String, byte[]> topic = new HashMap<>();

	@Test
	void showsTheBalanceAndItsMovementsNewestFirst() {
		AccountBalance balance = AccountBalance.open("alice", EUR);
		write(balance);
		balance = write(balance.credit(new BigDecimal("100.00"), UUID.randomUUID(), NOW));
		balance = write(balance.charge(new BigDecimal("30.00"), UUID.randomUUID(), NOW));

		Account alice = AccountStates.read(this.topic::get, "alice").orElseThrow();
		assertThat(alice.balance()).isEqualByComparingTo("70.00");
		assertThat(alice.movements()).extracting(Movement::sequence, Movement::type)
			.containsExactly(tuple(2L, Movement.Type.CHARGE), tuple(1L, Movement.Type.CREDIT));
		assertThat(AccountStates.read(this.topic::get, "bob")).isEmpty();
	}

	@Test
	void showsNoMovementItsBalanceDoesNotCountYet() {
		AccountBalance balance = AccountBalance.open("alice", EUR);
		for (int i = 0; i < AccountStates.RECENT_MOVEMENTS; i++) {
			balance = write(balance.credit(BigDecimal.ONE, null, NOW));
		}
		// A reader that has seen the 21st movement, which took the place of the 1st, but
		// not yet the balance it left.
		AccountBalance.Change next = balance.credit(BigDecimal.ONE, null, NOW);
		this.topic.put(AccountStates.movementKey("alice", 21), AccountStates.write(next.movement()));

		Account alice = AccountStates.read(this.topic::get, "alice").orElseThrow();
		assertThat(alice.balance()).isEqualByComparingTo("20");
		assertThat(alice.movements()).extracting(Movement::sequence).startsWith(20L, 19L).endsWith(2L).hasSize(19);
	}

	@Test
	void keepsTheBalanceOfAnAccountWrittenWithItsMovementsInside() throws IOException {
		// alice's account as it was kept before its movements were kept apart.
		byte[] before = new ClassPathResource("accounts/earlier-form.json").getContentAsByteArray();
		this.topic.put("alice", before);

		Account alice = AccountStates.read(this.topic::get, "alice").orElseThrow();
		assertThat(alice.balance()).isEqualByComparingTo("970.00");
		assertThat(alice.movements()).isEmpty();
		AccountBalance.Change next = AccountStates.readBalance(this.topic.get("alice"))
			.charge(new BigDecimal("70.00"), UUID.randomUUID(), NOW);
		assertThat(next.movement().sequence()).isEqualTo(1);
		assertThat(next.balance().balance()).isEqualByComparingTo("900.00");
	}

	private AccountBalance write(AccountBalance.Change change) {
		this.topic.put(AccountStates.movementKey(change.balance().customerId(), change.movement().sequence()),
				AccountStates.write(change.movement()));
		return write(change.balance());
	}

	private AccountBalance write(AccountBalance balance) {
		this.topic.put(balance.customerId(), AccountStates.write(balance));
		return balance;
	}

}
