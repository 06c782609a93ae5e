package io.ordersaga.support.streams;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Record;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Kafka Streams does with a record that fails, in one place, through its own
 * exception handlers and their dead-letter responses (KIP-1034, Kafka 4.2 and later).
 *
 * <ul>
 * <li>Processing: a {@link DeadLetterException} from a processor makes the record a dead
 * letter: Kafka Streams writes the dead letter that this handler builds, with Spring
 * Kafka's error headers and within the bounds of {@link DeadLetters}, to the source
 * topic's dead-letter topic, with the same producer and so in the same transaction as the
 * offset that moves past it, and processing resumes. Any other error fails the task; the
 * {@link ProcessingFailures} decide when a record that keeps failing becomes a dead
 * letter instead.</li>
 * <li>Deserialization: a record that cannot be read becomes a dead letter the same
 * way.</li>
 * <li>Production: a failure that can pass (the broker briefly unavailable) is retried, as
 * Kafka Streams' default does. One that will happen again with the same input (an output
 * larger than its topic takes, a value its serializer refuses) fails the task as the
 * default does, but first tells the {@link ProcessingFailures} to give up on the input
 * record, so the next reading makes it a dead letter instead of failing again forever;
 * nothing of the failed attempt is kept. If the dead letter itself cannot be written, the
 * record is skipped, with an error in the log: it stays in its topic.</li>
 * </ul>
 *
 * <p>
 * Kafka Streams' {@code errors.dead.letter.queue.topic.name} names one topic for every
 * dead letter; the suite keeps one dead-letter topic per source topic, with the source's
 * partition count, so this handler names the topic itself. Configured by class name, as
 * Kafka Streams requires; the service's {@link ProcessingFailures} comes with the
 * configuration under {@link #FAILURES_CONFIG}.
 */
public class StreamsErrorHandler
		implements ProcessingExceptionHandler, DeserializationExceptionHandler, ProductionExceptionHandler {

	/** The configuration entry that holds the {@link ProcessingFailures}. */
	public static final String FAILURES_CONFIG = "ordersaga.processing-failures";

	private static final Logger logger = LoggerFactory.getLogger(StreamsErrorHandler.class);

	private @Nullable ProcessingFailures failures;

	private String applicationId = "";

	/**
	 * Makes a Kafka Streams configuration use this handler for processing,
	 * deserialization and production errors, with the service's failures.
	 * @param config the configuration
	 * @param failures the service's {@link ProcessingFailures}
	 * @return the same configuration
	 */
	public static Properties use(Properties config, ProcessingFailures failures) {
		config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsErrorHandler.class);
		config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsErrorHandler.class);
		config.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, StreamsErrorHandler.class);
		config.put(FAILURES_CONFIG, failures);
		return config;
	}

	@Override
	public void configure(Map<String, ?> configs) {
		if (!(configs.get(FAILURES_CONFIG) instanceof ProcessingFailures configured)) {
			throw new ConfigException(FAILURES_CONFIG, configs.get(FAILURES_CONFIG),
					"must hold the service's ProcessingFailures");
		}
		this.failures = configured;
		this.applicationId = String.valueOf(configs.get(StreamsConfig.APPLICATION_ID_CONFIG));
	}

	@Override
	public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
			Exception exception) {
		DeadLetterException deadLetter = deadLetterIn(exception);
		if (deadLetter == null || context.topic() == null) {
			return ProcessingExceptionHandler.Response.fail();
		}
		byte[] value = (context.sourceRawValue() != null) ? context.sourceRawValue()
				: (record.value() instanceof byte[] bytes) ? bytes : new byte[0];
		return ProcessingExceptionHandler.Response.resume(
				List.of(deadLetter(context, context.sourceRawKey(), value, context.headers(), deadLetter.reason())));
	}

	@Override
	public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
			ConsumerRecord<byte[], byte[]> record, Exception exception) {
		RuntimeException reason = (exception instanceof RuntimeException runtime) ? runtime
				: new StreamsException(exception);
		return DeserializationExceptionHandler.Response.resume(List.of(deadLetter(context, record.key(),
				(record.value() != null) ? record.value() : new byte[0], record.headers(), reason)));
	}

	@Override
	public ProductionExceptionHandler.Response handleError(ErrorHandlerContext context,
			ProducerRecord<byte[], byte[]> record, Exception exception) {
		return decide(context, record, exception);
	}

	@Override
	@SuppressWarnings("rawtypes")
	public ProductionExceptionHandler.Response handleSerializationError(ErrorHandlerContext context,
			ProducerRecord record, Exception exception, SerializationExceptionOrigin origin) {
		return decide(context, record, exception);
	}

	private ProductionExceptionHandler.Response decide(ErrorHandlerContext context, ProducerRecord<?, ?> output,
			Exception exception) {
		if (exception instanceof RetriableException) {
			return ProductionExceptionHandler.Response.retry();
		}
		String topic = context.topic();
		if (topic == null || context.offset() < 0) {
			// Written by a punctuation, not for an input record: nothing to dead-letter.
			return ProductionExceptionHandler.Response.fail();
		}
		ProcessingFailures failures = failures();
		if (failures.isBeingDeadLettered(topic, context.partition(), context.offset())) {
			logger.error(
					"Skipping record {}-{}@{}: not even its dead letter can be written to {} ({}); "
							+ "the record stays in its topic",
					topic, context.partition(), context.offset(), output.topic(), exception.toString());
			return ProductionExceptionHandler.Response.resume();
		}
		logger.warn("Cannot write the output of record {}-{}@{} to {} ({}); it becomes a dead letter", topic,
				context.partition(), context.offset(), output.topic(), exception.toString());
		failures.outputFailed(topic, context.partition(), context.offset(),
				(exception instanceof RuntimeException runtime) ? runtime
						: new StreamsException("Cannot write to " + output.topic(), exception));
		return ProductionExceptionHandler.Response.fail();
	}

	private ProducerRecord<byte[], byte[]> deadLetter(ErrorHandlerContext context, byte @Nullable [] key, byte[] value,
			Headers headers, RuntimeException reason) {
		String topic = Objects.requireNonNull(context.topic(), "source topic");
		String deadLetterTopic = failures().deadLetterTopic(topic);
		logger.warn("Sending record {}-{}@{} to {}: {}", topic, context.partition(), context.offset(), deadLetterTopic,
				DeadLetters.shortened(String.valueOf(reason.getMessage()), 500));
		DeadLetters.DeadLetter letter = DeadLetters.of((key != null) ? new String(key, StandardCharsets.UTF_8) : null,
				value, (headers != null) ? headers : new RecordHeaders(), reason, topic, context.partition(),
				context.offset(), this.applicationId);
		failures().deadLettering(topic, context.partition(), context.offset());
		return new ProducerRecord<>(deadLetterTopic, null, context.timestamp(),
				(letter.key() != null) ? letter.key().getBytes(StandardCharsets.UTF_8) : null, letter.value(),
				letter.headers());
	}

	private ProcessingFailures failures() {
		return Objects.requireNonNull(this.failures, "not configured");
	}

	private static @Nullable DeadLetterException deadLetterIn(Throwable error) {
		for (Throwable cause = error; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof DeadLetterException deadLetter) {
				return deadLetter;
			}
		}
		return null;
	}

}
