package io.ordersaga.payment.charging;

import io.ordersaga.payment.account.PaymentTopics;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

import io.ordersaga.events.Topic;
import io.ordersaga.payment.account.AccountStates;
import io.ordersaga.support.streams.RecordTracing;
import io.ordersaga.support.streams.DeadLetterTopics;
import io.ordersaga.support.streams.Output;
import io.ordersaga.support.streams.ProcessingFailures;
import io.ordersaga.support.streams.StoreExpiry;
import io.ordersaga.support.streams.StateSerdes;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * Charging as a Kafka Streams topology:
 *
 * <pre>
 * orders ──intake──▶ (re-keyed by customer) ──┐
 *                                               ├──accounts──▶ payments, payment-accounts
 * payment-account-commands ─────────────────────┘
 * payment-accounts ──▶ global store "accounts-view" (every instance answers for every account)
 * </pre>
 */
public final class PaymentTopology {

	/**
	 * The repartition of order events by customer; its topic is
	 * {@code <application id>-orders-by-customer-repartition}.
	 */
	static final String ORDERS_BY_CUSTOMER = "orders-by-customer";

	/**
	 * The dead-letter topic of a topic the topology reads: an order read from the
	 * repartition by customer is an order, so its dead letter goes to {@code orders-dlt}.
	 * @param topic the topic
	 * @return its dead-letter topic
	 */
	static String deadLetterTopic(String topic) {
		return topic.endsWith("-" + ORDERS_BY_CUSTOMER + "-repartition") ? Topic.ORDERS.deadLetterTopicName()
				: DeadLetterTopics.standard(topic);
	}

	static final String ACCOUNT_STORE = "accounts";

	static final String DECISION_STORE = "payment-decisions";

	static final String COMMAND_STORE = "applied-account-commands";

	/** The customer of each order, as its first {@code OrderPlaced} names it. */
	static final String ORDER_CUSTOMER_STORE = "order-customers";

	static final String INTAKE_EXPIRY_STORE = "order-customers-expiry";

	static final String ACCOUNT_EXPIRY_STORE = "payment-decisions-expiry";

	private PaymentTopology() {
	}

	/**
	 * Adds charging to a builder.
	 * @param builder the builder of the service's topology
	 * @param applicationId the Kafka Streams application id, named in dead-letter headers
	 * @param tracing continues each record's trace
	 * @param metrics where decisions are counted
	 * @param failures what becomes of a record whose processing keeps failing
	 * @param stateRetention how long an order's customer and decision, and an applied
	 * command's id, are kept
	 * @return the stream of order events
	 */
	public static KStream<String, byte[]> build(StreamsBuilder builder, String applicationId, RecordTracing tracing,
			PaymentMetrics metrics, ProcessingFailures failures, Duration stateRetention) {
		// Balances as AccountStates encodes them, the same bytes as on the accounts
		// topic.
		builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ACCOUNT_STORE),
				Serdes.String(), Serdes.ByteArray()));
		builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DECISION_STORE),
				Serdes.String(), StateSerdes.json(PaymentDecision.class)));
		builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(COMMAND_STORE),
				Serdes.String(), Serdes.String()));
		builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ORDER_CUSTOMER_STORE),
				Serdes.String(), Serdes.String()));
		builder.addStateStore(StoreExpiry.indexStore(INTAKE_EXPIRY_STORE));
		builder.addStateStore(StoreExpiry.indexStore(ACCOUNT_EXPIRY_STORE));

		Consumed<String, byte[]> raw = Consumed.with(Serdes.String(), Serdes.ByteArray());
		KStream<String, byte[]> orders = builder.stream(Topic.ORDERS.topicName(), raw.withName("orders"));
		KStream<String, byte[]> byCustomer = orders
			.process(() -> new OrderIntakeProcessor(applicationId, tracing, metrics, failures, stateRetention),
					Named.as("intake"), ORDER_CUSTOMER_STORE, INTAKE_EXPIRY_STORE)
			.repartition(Repartitioned.with(Serdes.String(), Serdes.ByteArray())
				.withName(ORDERS_BY_CUSTOMER)
				.withNumberOfPartitions(Topic.ORDERS.partitions()));
		KStream<String, byte[]> commands = builder.stream(PaymentTopics.ACCOUNT_COMMANDS, raw.withName("commands"));

		Output.toTopics(
				byCustomer.merge(commands, Named.as("account-changes"))
					.process(() -> new AccountProcessor(applicationId, tracing, metrics, failures, stateRetention),
							Named.as("accounts"), ACCOUNT_STORE, DECISION_STORE, COMMAND_STORE, ACCOUNT_EXPIRY_STORE),
				"account-outputs", PaymentTopology::partition);

		builder.globalTable(PaymentTopics.ACCOUNTS, Consumed.with(Serdes.String(), Serdes.ByteArray()),
				Materialized.as(AccountStates.VIEW_STORE));
		return orders;
	}

	/**
	 * The partition of an output: for the accounts topic its customer's, as the Java
	 * producer's own partitioner chooses it for the customer id (the function it uses,
	 * not a copy of it), of the partitions Kafka Streams found in the broker's metadata,
	 * so that an account's balance and movements stay in the order they were written; for
	 * the others, the producer's choice by key.
	 */
	static Optional<Set<Integer>> partition(String topic, String key, Output output, int partitions) {
		if (!PaymentTopics.ACCOUNTS.equals(topic)) {
			return Optional.empty();
		}
		byte[] customer = AccountStates.customerOf(key).getBytes(StandardCharsets.UTF_8);
		return Optional.of(Set.of(BuiltInPartitioner.partitionForKey(customer, partitions)));
	}

}
