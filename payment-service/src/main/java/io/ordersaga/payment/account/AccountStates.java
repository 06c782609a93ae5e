package io.ordersaga.payment.account;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import io.ordersaga.support.streams.StateSerdes;
import org.apache.kafka.common.serialization.Serde;
import org.jspecify.annotations.Nullable;

/**
 * How accounts are kept on the {@code payment-accounts} topic and in every instance's
 * view of it: under the customer id, the {@link AccountBalance}; under
 * {@code <customer id>/<n>}, the movement whose sequence number leaves {@code n} when
 * divided by {@link #RECENT_MOVEMENTS}. A movement therefore replaces, on the compacted
 * topic, the one that many movements older, and a change writes one movement and one
 * small balance, whatever the account's history. Customer ids cannot contain a slash
 * ({@link AccountCommand#CUSTOMER_ID}), so the two kinds of key never meet.
 *
 * <p>
 * The charging topology's own store holds the balances only, as the same JSON bytes.
 */
public final class AccountStates {

	/** The global store every instance reads the accounts topic into. */
	public static final String VIEW_STORE = "accounts-view";

	/** How many movements an account shows. */
	public static final int RECENT_MOVEMENTS = 20;

	private static final Serde<AccountBalance> BALANCE = StateSerdes.json(AccountBalance.class);

	private static final Serde<Movement> MOVEMENT = StateSerdes.json(Movement.class);

	private AccountStates() {
	}

	public static byte[] write(AccountBalance balance) {
		return BALANCE.serializer().serialize(null, balance);
	}

	public static AccountBalance readBalance(byte[] json) {
		return BALANCE.deserializer().deserialize(null, json);
	}

	public static byte[] write(Movement movement) {
		return MOVEMENT.serializer().serialize(null, movement);
	}

	public static Movement readMovement(byte[] json) {
		return MOVEMENT.deserializer().deserialize(null, json);
	}

	/**
	 * The key a movement is kept under.
	 * @param customerId whose movement it is
	 * @param sequence its sequence number
	 * @return the key
	 */
	public static String movementKey(String customerId, long sequence) {
		return customerId + '/' + (sequence % RECENT_MOVEMENTS);
	}

	/**
	 * The customer a key of the accounts topic belongs to, which decides its partition:
	 * an account's movements and balance share one, so a reader of the topic sees a
	 * movement no later than the balance it left.
	 * @param key a balance's or a movement's key
	 * @return the customer id
	 */
	public static String customerOf(String key) {
		int slash = key.indexOf('/');
		return (slash < 0) ? key : key.substring(0, slash);
	}

	/**
	 * Puts an account together from what the topic holds: its balance and, newest first,
	 * those of its last {@link #RECENT_MOVEMENTS} movements that the balance already
	 * counts. A reader that has seen a newer movement but not yet its balance shows one
	 * movement fewer until the balance arrives, never a movement the balance does not
	 * include.
	 * @param store what the topic holds, by key
	 * @param customerId the customer
	 * @return the account, or empty if the customer has none
	 */
	public static Optional<Account> read(Function<String, byte @Nullable []> store, String customerId) {
		byte[] json = store.apply(customerId);
		if (json == null) {
			return Optional.empty();
		}
		AccountBalance balance = readBalance(json);
		List<Movement> recent = new ArrayList<>(RECENT_MOVEMENTS);
		long oldest = Math.max(1, balance.movementCount() - RECENT_MOVEMENTS + 1);
		for (long sequence = balance.movementCount(); sequence >= oldest; sequence--) {
			byte[] movement = store.apply(movementKey(customerId, sequence));
			if (movement != null) {
				Movement read = readMovement(movement);
				if (read.sequence() == sequence) {
					recent.add(read);
				}
			}
		}
		return Optional.of(new Account(customerId, balance.currency(), balance.balance(), recent));
	}

}
