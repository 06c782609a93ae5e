package io.ordersaga.support.streams;

import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * A gauge of the entries in each of the application's state stores on this instance,
 * {@code ordersaga.streams.state.entries} tagged with the store's name: RocksDB's
 * estimate, summed over the instance's tasks. It is how an operator (and the soak run)
 * sees that the stores stay bounded: with the stores' expiry ({@link StoreExpiry}), each
 * levels off at about the entries of one retention period. The gauges are registered when
 * Kafka Streams is created, once its topology is built; while it is not running they read
 * {@code NaN}.
 */
public class StateStoreMetrics implements StreamsBuilderFactoryBean.Listener {

	static final String METER = "ordersaga.streams.state.entries";

	private final MeterRegistry registry;

	private final Supplier<@Nullable Topology> topology;

	private final Supplier<@Nullable KafkaStreams> streams;

	public StateStoreMetrics(MeterRegistry registry, StreamsBuilderFactoryBean factory) {
		this(registry, factory::getTopology, factory::getKafkaStreams);
	}

	StateStoreMetrics(MeterRegistry registry, Supplier<@Nullable Topology> topology,
			Supplier<@Nullable KafkaStreams> streams) {
		this.registry = registry;
		this.topology = topology;
		this.streams = streams;
	}

	@Override
	public void streamsAdded(String id, KafkaStreams streams) {
		Topology built = this.topology.get();
		if (built == null) {
			return;
		}
		for (String store : stores(built.describe())) {
			// Registering the same gauge again, after Kafka Streams is created anew,
			// keeps the first, which reads whichever instance is current.
			Gauge.builder(METER, () -> entries(store))
				.tag("store", store)
				.description("Entries in a state store on this instance (RocksDB's estimate)")
				.register(this.registry);
		}
	}

	static Set<String> stores(TopologyDescription description) {
		Set<String> stores = new TreeSet<>();
		for (TopologyDescription.Subtopology subtopology : description.subtopologies()) {
			for (TopologyDescription.Node node : subtopology.nodes()) {
				if (node instanceof TopologyDescription.Processor processor) {
					stores.addAll(processor.stores());
				}
			}
		}
		for (TopologyDescription.GlobalStore global : description.globalStores()) {
			stores.addAll(global.processor().stores());
		}
		return stores;
	}

	double entries(String store) {
		KafkaStreams current = this.streams.get();
		if (current == null || current.state() != KafkaStreams.State.RUNNING) {
			return Double.NaN;
		}
		try {
			return current.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()))
				.approximateNumEntries();
		}
		catch (InvalidStateStoreException ex) {
			// migrating, or not a key-value store
			return Double.NaN;
		}
	}

}
