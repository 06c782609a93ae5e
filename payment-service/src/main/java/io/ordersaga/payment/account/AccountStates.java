package io.ordersaga.payment.account;

import io.ordersaga.support.streams.StateSerdes;
import org.apache.kafka.common.serialization.Serde;

/**
 * The JSON form of an account's state, as payment-service's store, the
 * {@code payment-accounts} topic and every instance's view of it keep it. A change
 * encodes the account once and the three keep the same bytes; only a reader decodes them.
 * With its last movements, an account is the largest value the service handles, and
 * encoding it for each copy was most of the service's JSON work.
 */
public final class AccountStates {

	private static final Serde<Account> JSON = StateSerdes.json(Account.class);

	private AccountStates() {
	}

	public static byte[] write(Account account) {
		return JSON.serializer().serialize(null, account);
	}

	public static Account read(byte[] json) {
		return JSON.deserializer().deserialize(null, json);
	}

}
