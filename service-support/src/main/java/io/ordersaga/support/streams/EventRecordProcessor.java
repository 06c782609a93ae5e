package io.ordersaga.support.streams;

import java.util.Objects;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.Topic;
import io.ordersaga.events.kafka.EventCodec;
import io.ordersaga.events.kafka.EventDeserializationException;
import io.ordersaga.support.DeadLetters;
import io.ordersaga.support.RecordTracing;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A processor of the contract's events that reads raw records itself, so that a record it
 * cannot use becomes a dead letter instead of a stopped stream thread. Kafka Streams
 * 4.1's exception handlers cannot write dead letters; doing it here puts the dead letter
 * in the same transaction as the offset that skips it.
 *
 * <p>
 * Each record is handled in a span continuing its trace. A record that is not a valid
 * event, whose key is not the one the event implies, or that {@link #handle} rejects with
 * an {@link IllegalArgumentException}, is forwarded unchanged, with Spring Kafka's error
 * headers, as the output {@link #deadLetter(byte[])} builds. Any other exception
 * propagates, so Kafka Streams aborts the transaction and reads the record again, until
 * the {@link ProcessingFailures} say the record has failed often enough to become a dead
 * letter too.
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
	}

	@Override
	public final void process(Record<String, byte[]> record) {
		if (record.value() == null) {
			return;
		}
		RecordMetadata source = context().recordMetadata().orElseThrow();
		this.tracing.within(this.spanName, record.headers(), () -> {
			this.failures.guard(this.spanName, source, () -> {
				try {
					EventEnvelope<?> event = EventCodec.instance().decode(source.topic(), record.value());
					String expectedKey = expectedKey(event);
					if (!expectedKey.equals(record.key())) {
						throw new IllegalArgumentException(
								"record key '" + DeadLetters.shortened(String.valueOf(record.key()), 100)
										+ "' is not the event's key '" + expectedKey + "'");
					}
					handle(event, record);
				}
				catch (EventDeserializationException | IllegalArgumentException ex) {
					deadLetter(record, source, ex);
				}
			}, (givenUp) -> {
				deadLetter(record, source, givenUp);
				// Before anything else can fail and abort it again.
				context().commit();
			});
			return null;
		});
	}

	/**
	 * The key a record carrying this event must have.
	 * @param event the event
	 * @return the order id, unless the input is keyed otherwise
	 */
	protected String expectedKey(EventEnvelope<?> event) {
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
	 * The output that carries a dead letter to the sink for the source's dead-letter
	 * topic.
	 * @param sourceTopic the topic the record came from
	 * @param value the record's value, unchanged unless it was too large
	 * ({@link DeadLetters})
	 * @return the output
	 */
	protected abstract O deadLetter(String sourceTopic, byte[] value);

	/**
	 * Called for each dead letter, to count it.
	 * @param sourceTopic the topic it came from
	 */
	protected void deadLettered(String sourceTopic) {
	}

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

	private void deadLetter(Record<String, byte[]> record, RecordMetadata source, Exception error) {
		deadLetter(record, source.topic(), source.partition(), source.offset(), error);
	}

	/**
	 * Makes a record a dead letter of the topic it came from, which need not be the
	 * record being processed: one kept in a store to be applied later, say.
	 * @param record the record
	 * @param topic the topic it came from
	 * @param partition its partition
	 * @param offset its offset, or -1 where it is not known
	 * @param error why it is a dead letter
	 */
	protected final void deadLetter(Record<String, byte[]> record, String topic, int partition, long offset,
			Exception error) {
		logger.warn("Sending record {}-{}@{} to the dead-letter topic: {}", topic, partition, offset,
				DeadLetters.shortened(String.valueOf(error.getMessage()), 500));
		DeadLetters.DeadLetter letter = DeadLetters.of(record.key(), record.value(), record.headers(), error, topic,
				partition, offset, this.applicationId);
		context().forward(
				new Record<>(letter.key(), deadLetter(topic, letter.value()), record.timestamp(), letter.headers()));
		deadLettered(topic);
	}

	/**
	 * The dead-letter topic of the topic a record came from.
	 * @param sourceTopic the record's topic
	 * @return for example {@code payments-dlt}
	 */
	public static String deadLetterTopic(String sourceTopic) {
		return Topic.forName(sourceTopic)
			.map(Topic::deadLetterTopicName)
			.orElse(sourceTopic + Topic.DEAD_LETTER_SUFFIX);
	}

}
