package io.ordersaga.payment.account;

/**
 * payment-service's own topics, which no other service reads or writes. They are created
 * by the service at start-up, like Kafka Streams' internal topics; the shared catalogue
 * holds the topics of the saga.
 */
public final class PaymentTopics {

	/** Requests to open or credit an account, keyed by customer id. */
	public static final String ACCOUNT_COMMANDS = "payment-account-commands";

	/** Its dead-letter topic, for commands that cannot be read. */
	public static final String ACCOUNT_COMMANDS_DLT = ACCOUNT_COMMANDS + "-dlt";

	/**
	 * Every account's balance and recent movements, compacted, keyed as
	 * {@link AccountStates} says; every instance reads it all.
	 */
	public static final String ACCOUNTS = "payment-accounts";

	private PaymentTopics() {
	}

}
