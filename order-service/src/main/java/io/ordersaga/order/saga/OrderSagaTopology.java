package io.ordersaga.order.saga;

import java.time.Duration;

import io.ordersaga.events.Topic;
import io.ordersaga.order.core.OrderMetrics;
import io.ordersaga.support.streams.RecordTracing;
import io.ordersaga.support.streams.Output;
import io.ordersaga.support.streams.ProcessingFailures;
import io.ordersaga.support.streams.StoreExpiry;
import io.ordersaga.support.streams.StateSerdes;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;

/**
 * The saga as a Kafka Streams topology: {@code orders} and {@code payments}
 * (co-partitioned by order id) feed one {@link OrderSagaProcessor}; its decisions go to
 * {@code orders} and the records it cannot read to their dead-letter topics.
 */
public final class OrderSagaTopology {

	static final String SAGA_STORE = "order-sagas";

	static final String DEADLINE_STORE = "order-deadlines";

	static final String PARKED_OUTCOME_STORE = "parked-payment-outcomes";

	static final String EXPIRY_STORE = "order-saga-expiry";

	private OrderSagaTopology() {
	}

	/**
	 * Adds the saga to a builder.
	 * @param builder the builder of the service's topology
	 * @param properties the saga's timeouts
	 * @param stateRetention how long a finished saga and a parked outcome are kept
	 * @param metrics where decisions are counted
	 * @param applicationId the Kafka Streams application id, named in dead-letter headers
	 * @param tracing continues each record's trace through the processor
	 * @param failures what becomes of a record whose processing keeps failing
	 * @return the merged input stream
	 */
	public static KStream<String, byte[]> build(StreamsBuilder builder, SagaProperties properties,
			Duration stateRetention, OrderMetrics metrics, String applicationId, RecordTracing tracing,
			ProcessingFailures failures) {
		builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SAGA_STORE), Serdes.String(),
				StateSerdes.json(OrderSaga.class)));
		builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DEADLINE_STORE),
				Serdes.String(), Serdes.String()));
		builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PARKED_OUTCOME_STORE),
				Serdes.String(), Serdes.ByteArray()));
		builder.addStateStore(StoreExpiry.indexStore(EXPIRY_STORE));

		Consumed<String, byte[]> raw = Consumed.with(Serdes.String(), Serdes.ByteArray());
		KStream<String, byte[]> orders = builder.stream(Topic.ORDERS.topicName(), raw.withName("orders"));
		KStream<String, byte[]> payments = builder.stream(Topic.PAYMENTS.topicName(), raw.withName("payments"));

		KStream<String, byte[]> input = orders.merge(payments, Named.as("orders-and-payments"));
		Output.toTopics(input.process(
				() -> new OrderSagaProcessor(properties, stateRetention, metrics, applicationId, tracing, failures),
				Named.as("saga"), SAGA_STORE, DEADLINE_STORE, PARKED_OUTCOME_STORE, EXPIRY_STORE), "saga-outputs");
		return input;
	}

}
