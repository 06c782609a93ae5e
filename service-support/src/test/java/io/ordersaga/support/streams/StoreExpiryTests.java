package io.ordersaga.support.streams;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Entries removed a retention after they were marked, in stream time, a little at a time.
 */
class StoreExpiryTests {

	private static final Duration RETENTION = Duration.ofSeconds(30);

	private static final Instant START = Instant.parse("2026-12-05T10:00:00Z");

	private TopologyTestDriver driver;

	private TestInputTopic<String, String> input;

	private KeyValueStore<String, String> entries;

	@BeforeEach
	void buildTopology() {
		StreamsBuilder builder = new StreamsBuilder();
		builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("entries"), Serdes.String(),
				Serdes.String()));
		builder.addStateStore(StoreExpiry.indexStore("entries-expiry"));
		builder.stream("input", Consumed.with(Serdes.String(), Serdes.String()))
			.process(() -> new Processor<String, String, Void, Void>() {

				private KeyValueStore<String, String> store;

				private StoreExpiry expiry;

				@Override
				public void init(ProcessorContext<Void, Void> context) {
					this.store = context.getStateStore("entries");
					this.expiry = StoreExpiry.schedule(context, "entries-expiry", RETENTION,
							Map.of("entries", this.store));
				}

				@Override
				public void process(Record<String, String> record) {
					this.store.put(record.key(), record.value());
					this.expiry.removeLater("entries", record.key(), record.timestamp());
				}

			}, "entries", "entries-expiry");
		Properties config = new Properties();
		config.put(StreamsConfig.APPLICATION_ID_CONFIG, "store-expiry-tests");
		config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
		this.driver = new TopologyTestDriver(builder.build(), config);
		this.input = this.driver.createInputTopic("input", new StringSerializer(), new StringSerializer());
		this.entries = this.driver.getKeyValueStore("entries");
	}

	@AfterEach
	void close() {
		this.driver.close();
	}

	@Test
	void removesAnEntryWithinSecondsOfStreamTimeAfterItIsDueNotAMinute() {
		this.input.pipeInput("order-1", "saga", START);
		this.input.pipeInput("order-2", "saga", START.plus(RETENTION).minusSeconds(1));
		assertThat(this.entries.get("order-1")).isNotNull();

		this.input.pipeInput("order-3", "saga", START.plus(RETENTION).plusSeconds(2));

		assertThat(this.entries.get("order-1")).isNull();
		assertThat(this.entries.get("order-2")).isNotNull();
	}

	@Test
	void removesABacklogOfDueEntriesAFewThousandAtATime() {
		int marked = StoreExpiry.MAX_PER_PUNCTUATION + 500;
		for (int i = 0; i < marked; i++) {
			this.input.pipeInput("order-" + i, "saga", START);
		}

		this.input.pipeInput("late", "saga", START.plus(RETENTION).plusSeconds(1));
		assertThat(count()).isEqualTo(marked + 1 - StoreExpiry.MAX_PER_PUNCTUATION);
		this.input.pipeInput("latest", "saga", START.plus(RETENTION).plusSeconds(2));

		assertThat(count()).isEqualTo(2);
		assertThat(this.entries.get("latest")).isNotNull();
	}

	private long count() {
		try (KeyValueIterator<String, String> all = this.entries.all()) {
			long count = 0;
			while (all.hasNext()) {
				all.next();
				count++;
			}
			return count;
		}
	}

}
