package io.ordersaga.support.streams;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A gauge for every state store of the topology, global ones included. */
class StateStoreMetricsTests {

	@Test
	void registersAGaugePerStoreThatReadsNothingWhileKafkaStreamsIsNotRunning() {
		StreamsBuilder builder = new StreamsBuilder();
		builder.addStateStore(
				Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("sagas"), Serdes.String(), Serdes.String()));
		builder.stream("orders", Consumed.with(Serdes.String(), Serdes.String()))
			.process(() -> new Processor<String, String, Void, Void>() {

				@Override
				public void process(Record<String, String> record) {
				}

			}, "sagas");
		builder.globalTable("accounts", Consumed.with(Serdes.String(), Serdes.String()),
				Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as("accounts-store"));
		Topology topology = builder.build();
		SimpleMeterRegistry registry = new SimpleMeterRegistry();

		new StateStoreMetrics(registry, () -> topology, () -> null).streamsAdded("streams", null);

		assertThat(registry.find(StateStoreMetrics.METER).gauges()).extracting((gauge) -> gauge.getId().getTag("store"))
			.containsExactlyInAnyOrder("sagas", "accounts-store");
		assertThat(registry.get(StateStoreMetrics.METER).tag("store", "sagas").gauge().value()).isNaN();
	}

}
