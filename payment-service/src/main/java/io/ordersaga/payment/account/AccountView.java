package io.ordersaga.payment.account;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import org.springframework.http.HttpStatus;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Reads accounts from the global store that every instance keeps of the accounts topic,
 * so any instance answers for any account.
 */
@Component
public class AccountView {

	private final StreamsBuilderFactoryBean streams;

	AccountView(StreamsBuilderFactoryBean streams) {
		this.streams = streams;
	}

	/**
	 * A customer's account as this instance has read it.
	 * @param customerId the customer
	 * @return the account, or empty if the customer has none
	 */
	public Optional<Account> find(String customerId) {
		return AccountStates.read(store()::get, customerId);
	}

	/**
	 * Waits until a customer's account satisfies a condition, for example until it shows
	 * a credit just requested.
	 * @param customerId the customer
	 * @param condition what to wait for
	 * @param maxWait how long to wait at most
	 * @return the account once it satisfies the condition, or empty if it did not in time
	 */
	public Optional<Account> await(String customerId, Predicate<Account> condition, Duration maxWait) {
		long deadline = System.nanoTime() + maxWait.toNanos();
		while (true) {
			Optional<Account> account = find(customerId).filter(condition);
			if (account.isPresent() || System.nanoTime() > deadline) {
				return account;
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
		}
	}

	private ReadOnlyKeyValueStore<String, byte[]> store() {
		KafkaStreams kafkaStreams = this.streams.getKafkaStreams();
		try {
			if (kafkaStreams != null) {
				return kafkaStreams.store(StoreQueryParameters.fromNameAndType(AccountStates.VIEW_STORE,
						QueryableStoreTypes.keyValueStore()));
			}
		}
		catch (InvalidStateStoreException ex) {
			// not readable yet: starting or rebalancing
		}
		throw new AccountsUnavailableException();
	}

	/** The accounts cannot be read yet: the service is starting or recovering. */
	static class AccountsUnavailableException extends ErrorResponseException {

		AccountsUnavailableException() {
			super(HttpStatus.SERVICE_UNAVAILABLE);
			getBody().setTitle("Accounts not available yet");
			getBody().setDetail("payment-service is still loading the accounts from Kafka. Retry in a moment.");
			getHeaders().set("Retry-After", "2");
		}

	}

}
