package io.ordersaga.support.streams;

import java.util.Objects;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.kafka.EventCodec;
import io.ordersaga.events.kafka.EventDeserializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A processor of the contract's events that reads raw records itself, so that a record it
 * cannot use becomes a dead letter instead of a stopped stream thread.
 *
 * <p>
 * Each record is handled in a span continuing its trace. A record that is not a valid
 * event, whose key is not the one the event implies, or that {@link #handle} rejects with
 * an {@link IllegalArgumentException}, is rejected with a {@link DeadLetterException}:
 * Kafka Streams' processing exception handler ({@link StreamsErrorHandler}) writes it to
 * its dead-letter topic, with Spring Kafka's error headers, in the same transaction as
 * the offset that moves past it. Any other exception propagates, so Kafka Streams aborts
 * the transaction and reads the record again, until the {@link ProcessingFailures} say
 * the record has failed often enough to become a dead letter too.
 *
 * <p>
 * Where the configuration sets a busy commit interval, it asks for a commit at the
 * shorter, quiet interval while the machine has CPU to spare ({@link CommitPace}).
 *
 * @param <O> the processor's output value type
 */
public abstract class EventRecordProcessor<O> implements Processor<String, byte[], String, O> {

	private static final Logger logger = LoggerFactory.getLogger(EventRecordProcessor.class);

	private final String spanName;

	private final String applicationId;

	private final RecordTracing tracing;

	private final ProcessingFailures failures;

	private @Nullable ProcessorContext<String, O> context;

	private CommitPace.@Nullable Settings pace;

	protected EventRecordProcessor(String spanName, String applicationId, RecordTracing tracing,
			ProcessingFailures failures) {
		this.spanName = spanName;
		this.applicationId = applicationId;
		this.tracing = tracing;
		this.failures = failures;
	}

	@Override
	public void init(ProcessorContext<String, O> context) {
		this.context = context;
		CommitPace.Settings pace = CommitPace.settings(context.appConfigs());
		this.pace = pace;
		if (pace != null) {
			context.schedule(pace.quietInterval(), PunctuationType.WALL_CLOCK_TIME, (now) -> {
				if (CommitPace.ofThread(pace).commitEarly(now)) {
					context.commit();
				}
			});
		}
	}

	@Override
	public final void process(Record<String, byte[]> record) {
		if (record.value() == null) {
			return;
		}
		RecordMetadata source = context().recordMetadata().orElseThrow();
		if (this.pace != null) {
			CommitPace.ofThread(this.pace).processed();
		}
		this.tracing.within(this.spanName, record.headers(), () -> {
			this.failures.guard(this.spanName, source, () -> {
				try {
					read(source.topic(), record);
				}
				catch (EventDeserializationException | JacksonException | IllegalArgumentException ex) {
					throw new DeadLetterException(ex);
				}
			});
			return null;
		});
	}

	/**
	 * Reads one record: by default an event of the contract, whose key must be
	 * {@link #expectedKey the one it implies}, for {@link #handle}. A processor whose
	 * input also carries records of another kind reads those itself.
	 * @param topic the topic the record came from
	 * @param record the record, its value not {@code null}
	 * @throws IllegalArgumentException if the record cannot be used (Jackson's and the
	 * codec's exceptions too); it becomes a dead letter
	 */
	protected void read(String topic, Record<String, byte[]> record) {
		EventEnvelope<?> event = EventCodec.instance().decode(topic, record.value());
		String expectedKey = expectedKey(event);
		if (expectedKey != null && !expectedKey.equals(record.key())) {
			throw new IllegalArgumentException("record key '" + DeadLetters.shortened(String.valueOf(record.key()), 100)
					+ "' is not the event's key '" + expectedKey + "'");
		}
		handle(event, record);
	}

	/**
	 * The key a record carrying this event must have.
	 * @param event the event
	 * @return the order id, unless the input is keyed otherwise; {@code null} where any
	 * key will do (an input the topology itself keyed)
	 */
	protected @Nullable String expectedKey(EventEnvelope<?> event) {
		return event.key();
	}

	/**
	 * Acts on one event.
	 * @param event the event
	 * @param record the record it came in, for its headers and timestamp
	 * @throws IllegalArgumentException if the event cannot be processed; it becomes a
	 * dead letter
	 */
	protected abstract void handle(EventEnvelope<?> event, Record<String, byte[]> record);

	/**
	 * Forwards an output downstream with the current span in its headers, and no other:
	 * an input's headers are not passed on, so a record with large headers cannot make an
	 * output larger than a broker takes.
	 * @param key the output's key
	 * @param value the output
	 * @param timestamp the output's timestamp
	 */
	protected final void forward(String key, O value, long timestamp) {
		context().forward(new Record<>(key, value, timestamp, this.tracing.inject(new RecordHeaders())));
	}

	protected final ProcessorContext<String, O> context() {
		return Objects.requireNonNull(this.context, "not initialized");
	}

	protected final RecordTracing tracing() {
		return this.tracing;
	}

	/**
	 * The dead letter of a record that is not the one being processed (one kept in a
	 * store to be applied later, say), for the processor to forward to a sink for the
	 * dead-letter topic: Kafka Streams' handlers only dead-letter the record being
	 * processed. Counted as any dead letter is.
	 * @param record the record
	 * @param topic the topic it came from
	 * @param partition its partition
	 * @param offset its offset, or -1 where it is not known
	 * @param error why it is a dead letter
	 * @return the dead letter
	 */
	protected final DeadLetters.DeadLetter deadLetterOf(Record<String, byte[]> record, String topic, int partition,
			long offset, RuntimeException error) {
		logger.warn("Sending record {}-{}@{} to {}: {}", topic, partition, offset, this.failures.deadLetterTopic(topic),
				DeadLetters.shortened(String.valueOf(error.getMessage()), 500));
		this.failures.deadLettered(topic);
		return DeadLetters.of(record.key(), record.value(), record.headers(), error, topic, partition, offset,
				this.applicationId);
	}

	/**
	 * The dead-letter topic of a topic this processor reads, as the service's
	 * {@link DeadLetterTopics} say.
	 * @param sourceTopic the topic
	 * @return its dead-letter topic
	 */
	protected final String deadLetterTopic(String sourceTopic) {
		return this.failures.deadLetterTopic(sourceTopic);
	}

}
