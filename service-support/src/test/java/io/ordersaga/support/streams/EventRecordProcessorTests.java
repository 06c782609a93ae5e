package io.ordersaga.support.streams;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.LineItem;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.kafka.EventCodec;
import io.ordersaga.kafka.test.TestKafkaBroker;
import io.ordersaga.kafka.test.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Record;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What becomes of records whose processing fails with an unexpected error, on a real
 * broker with exactly-once processing: a failure that passes is retried until the record
 * is processed, once; one that does not makes the record a dead letter, and the records
 * behind it are processed.
 */
class EventRecordProcessorTests {

	private static final Duration WAIT = Duration.ofSeconds(60);

	@TempDir
	Path stateDir;

	/** Per order id, how many more times processing it fails. */
	private final Map<String, Integer> failuresToGo = new ConcurrentHashMap<>();

	/**
	 * Per order id, how many bytes its output has beyond the record's value; -1 for an
	 * output that cannot be serialized.
	 */
	private final Map<String, Integer> outputPadding = new ConcurrentHashMap<>();

	@Test
	void retriesAFailureThatPassesAndDeadLettersARecordThatFailsEveryTime() {
		String in = TestKafkaBroker.uniqueName("flaky-in");
		String out = TestKafkaBroker.uniqueName("flaky-out");
		TestKafkaBroker.createTopics(1, in, out, in + "-dlt");
		EventEnvelope<OrderPlaced> persistent = order();
		EventEnvelope<OrderPlaced> transientFailure = order();
		EventEnvelope<OrderPlaced> fine = order();
		this.failuresToGo.put(persistent.key(), Integer.MAX_VALUE);
		this.failuresToGo.put(transientFailure.key(), 1);

		try (KafkaStreams streams = start(in, out)) {
			for (EventEnvelope<OrderPlaced> order : List.of(persistent, transientFailure, fine)) {
				TestKafkaBroker.send(in, order.key(), EventCodec.instance().encode(order));
			}

			List<ConsumerRecord<String, byte[]>> processed = TopicReader.readUntil(out,
					(read) -> read.stream().anyMatch((r) -> r.key().equals(fine.key())), WAIT);
			assertThat(processed).extracting(ConsumerRecord::key).containsExactly(transientFailure.key(), fine.key());
			List<ConsumerRecord<String, byte[]>> deadLetters = TopicReader.readToEnd(in + "-dlt", WAIT);
			assertThat(deadLetters).singleElement().satisfies((dead) -> {
				assertThat(dead.key()).isEqualTo(persistent.key());
				assertThat(new String(dead.headers().lastHeader("kafka_dlt-exception-message").value(),
						StandardCharsets.UTF_8))
					.isEqualTo("cannot process " + persistent.key() + " now");
			});
			assertThat(TopicReader.readToEnd(out, WAIT)).hasSize(2);
		}
	}

	/**
	 * An output larger than a record may be ({@code max.request.size}, 1 MiB in the
	 * services; 4 KiB here) fails with a {@code RecordTooLargeException} every time.
	 */
	@Test
	void anOutputTooLargeToWriteMakesItsInputADeadLetterAndTheRecordsBehindItGoOn() {
		String in = TestKafkaBroker.uniqueName("large-out-in");
		String out = TestKafkaBroker.uniqueName("large-out-out");
		TestKafkaBroker.createTopics(1, in, out, in + "-dlt");
		EventEnvelope<OrderPlaced> tooLarge = order();
		EventEnvelope<OrderPlaced> fine = order();
		this.outputPadding.put(tooLarge.key(), 8192);

		try (KafkaStreams streams = start(in, out, Map.of(StreamsConfig.producerPrefix("max.request.size"), 4096))) {
			TestKafkaBroker.send(in, tooLarge.key(), EventCodec.instance().encode(tooLarge));
			TestKafkaBroker.send(in, fine.key(), EventCodec.instance().encode(fine));

			assertThat(TopicReader.readUntil(out, (read) -> read.stream().anyMatch((r) -> r.key().equals(fine.key())),
					WAIT))
				.extracting(ConsumerRecord::key)
				.containsExactly(fine.key());
			assertThat(TopicReader.readUntil(in + "-dlt", (read) -> !read.isEmpty(), WAIT)).singleElement()
				.satisfies((dead) -> {
					assertThat(dead.key()).isEqualTo(tooLarge.key());
					assertThat(header(dead, "kafka_dlt-exception-fqcn"))
						.isEqualTo(RecordTooLargeException.class.getName());
				});
		}
	}

	@Test
	void anOutputItsSerializerRefusesMakesItsInputADeadLetter() {
		String in = TestKafkaBroker.uniqueName("unwritable-in");
		String out = TestKafkaBroker.uniqueName("unwritable-out");
		TestKafkaBroker.createTopics(1, in, out, in + "-dlt");
		EventEnvelope<OrderPlaced> unwritable = order();
		EventEnvelope<OrderPlaced> fine = order();
		this.outputPadding.put(unwritable.key(), -1);

		try (KafkaStreams streams = start(in, out)) {
			TestKafkaBroker.send(in, unwritable.key(), EventCodec.instance().encode(unwritable));
			TestKafkaBroker.send(in, fine.key(), EventCodec.instance().encode(fine));

			assertThat(TopicReader.readUntil(out, (read) -> read.stream().anyMatch((r) -> r.key().equals(fine.key())),
					WAIT))
				.extracting(ConsumerRecord::key)
				.containsExactly(fine.key());
			assertThat(TopicReader.readUntil(in + "-dlt", (read) -> !read.isEmpty(), WAIT)).singleElement()
				.satisfies((dead) -> assertThat(dead.key()).isEqualTo(unwritable.key()));
		}
	}

	@Test
	void aRecordTooLargeToDeadLetterWholeIsDeadLetteredAsABoundedCopyThatSaysWhereItCameFrom() {
		String in = TestKafkaBroker.uniqueName("huge-in");
		String out = TestKafkaBroker.uniqueName("huge-out");
		TestKafkaBroker.createTopics(1, in, out, in + "-dlt");
		// Not an event: an error message that quoted it, and its stack trace, would be
		// about as large again.
		byte[] huge = ("{\"type\":\"" + "X".repeat(900_000) + "\"}").getBytes(StandardCharsets.UTF_8);
		EventEnvelope<OrderPlaced> fine = order();

		try (KafkaStreams streams = start(in, out)) {
			TestKafkaBroker.send(in, "huge", huge);
			TestKafkaBroker.send(in, fine.key(), EventCodec.instance().encode(fine));

			assertThat(TopicReader.readUntil(out, (read) -> !read.isEmpty(), WAIT)).extracting(ConsumerRecord::key)
				.containsExactly(fine.key());
			assertThat(TopicReader.readUntil(in + "-dlt", (read) -> !read.isEmpty(), WAIT)).singleElement()
				.satisfies((dead) -> {
					assertThat(dead.key()).isEqualTo("huge");
					assertThat(dead.value()).hasSize(DeadLetters.KEPT_VALUE_BYTES)
						.startsWith(Arrays.copyOf(huge, DeadLetters.KEPT_VALUE_BYTES));
					assertThat(header(dead, DeadLetters.TRUNCATED))
						.isEqualTo("value cut from " + huge.length + " to 65536 bytes");
					assertThat(header(dead, "kafka_dlt-original-topic")).isEqualTo(in);
					assertThat(dead.headers().lastHeader("kafka_dlt-original-offset").value())
						.isEqualTo(ByteBuffer.allocate(Long.BYTES).putLong(0).array());
					assertThat(header(dead, "kafka_dlt-exception-message")).hasSizeLessThan(5000)
						.contains("the value is " + huge.length + " bytes");
				});
		}
	}

	/**
	 * A quiet stream thread commits at the quiet interval ({@link CommitPace}): its
	 * output is readable downstream long before Kafka Streams' own interval, ten minutes
	 * here, would have committed it.
	 */
	@Test
	void whileTheMachineHasCpuToSpareAStreamThreadCommitsAtTheQuietInterval() {
		String in = TestKafkaBroker.uniqueName("quiet-in");
		String out = TestKafkaBroker.uniqueName("quiet-out");
		TestKafkaBroker.createTopics(1, in, out, in + "-dlt");
		Properties paced = new Properties();
		paced.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "25");
		CommitPace.configure(paced, Duration.ofMinutes(10), 1.01);
		Map<String, Object> settings = new HashMap<>();
		paced.forEach((name, value) -> settings.put((String) name, value));
		// Kafka Streams refuses a commit interval longer than the transaction time-out;
		// 15 minutes is the most the broker allows.
		settings.put(StreamsConfig.producerPrefix("transaction.timeout.ms"), 900_000);
		assertThat(settings).containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "600000");
		EventEnvelope<OrderPlaced> order = order();

		try (KafkaStreams streams = start(in, out, settings)) {
			TestKafkaBroker.send(in, order.key(), EventCodec.instance().encode(order));

			assertThat(TopicReader.readUntil(out, (read) -> !read.isEmpty(), WAIT)).extracting(ConsumerRecord::key)
				.containsExactly(order.key());
		}
	}

	private KafkaStreams start(String in, String out) {
		return start(in, out, Map.of());
	}

	private KafkaStreams start(String in, String out, Map<String, Object> settings) {
		ProcessingFailures failures = new ProcessingFailures(2);
		StreamsBuilder builder = new StreamsBuilder();
		builder.stream(in, Consumed.with(Serdes.String(), Serdes.ByteArray()))
			.process(() -> new FlakyProcessor(failures))
			.to(out, Produced.with(Serdes.String(), Serdes.serdeFrom((topic, output) -> {
				if (output.value() == null) {
					throw new SerializationException("this output cannot be written");
				}
				return output.value();
			}, (topic, bytes) -> null)));
		Properties config = new Properties();
		config.put(StreamsConfig.APPLICATION_ID_CONFIG, TestKafkaBroker.uniqueName("flaky"));
		config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafkaBroker.bootstrapServers());
		config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
		config.put(StreamsConfig.STATE_DIR_CONFIG, this.stateDir.toString());
		config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
		// A replaced thread's consumer does not leave the group: its partitions move once
		// its session has expired, after the broker's shortest session time-out.
		config.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 6000);
		config.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), 1000);
		StreamsErrorHandler.use(config, failures);
		config.putAll(settings);
		KafkaStreams streams = new KafkaStreams(builder.build(), config);
		streams
			.setUncaughtExceptionHandler(new ReplaceThreadAfterBackOff(Duration.ofMillis(100), Duration.ofSeconds(1)));
		streams.start();
		return streams;
	}

	private static String header(ConsumerRecord<String, byte[]> record, String name) {
		return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
	}

	private static EventEnvelope<OrderPlaced> order() {
		return EventEnvelope.first("/order-service", UUID.randomUUID(), OrderPlaced.of("alice",
				Currency.getInstance("EUR"), List.of(new LineItem("BOOK-1", 1, new BigDecimal("12.50")))));
	}

	/**
	 * What the test's processor writes: the record; {@code null} for an output that
	 * cannot be serialized.
	 */
	record Output(byte @Nullable [] value) {
	}

	/** Forwards each order, unless it is one whose processing is to fail (still). */
	private final class FlakyProcessor extends EventRecordProcessor<Output> {

		FlakyProcessor(ProcessingFailures failures) {
			super("flaky", "flaky-test", RecordTracing.NOOP, failures);
		}

		@Override
		protected void handle(EventEnvelope<?> event, Record<String, byte[]> record) {
			int toGo = EventRecordProcessorTests.this.failuresToGo.getOrDefault(event.key(), 0);
			if (toGo > 0) {
				EventRecordProcessorTests.this.failuresToGo.put(event.key(), toGo - 1);
				throw new IllegalStateException("cannot process " + event.key() + " now");
			}
			int padding = EventRecordProcessorTests.this.outputPadding.getOrDefault(event.key(), 0);
			byte[] value = (padding < 0) ? null : Arrays.copyOf(record.value(), record.value().length + padding);
			forward(event.key(), new Output(value), record.timestamp());
		}

	}

}
