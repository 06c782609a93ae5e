package io.ordersaga.support.streams;

import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Kafka Streams does when an output cannot be written. A failure that can pass (the
 * broker briefly unavailable) is retried, as Kafka Streams' default does. One that will
 * happen again with the same input — an output larger than its topic takes, a value its
 * serializer refuses — fails the task as the default does, but first tells the
 * {@link ProcessingFailures} to give up on the input record, so the next reading makes it
 * a dead letter instead of failing again forever. If the dead letter itself cannot be
 * written, the record is skipped, with an error in the log: it stays in its topic.
 *
 * <p>
 * Configured by name, as Kafka Streams requires; the service's {@link ProcessingFailures}
 * comes with the configuration under {@link #FAILURES_CONFIG}.
 */
public class SagaProductionExceptionHandler implements ProductionExceptionHandler {

	/** The configuration entry that holds the {@link ProcessingFailures}. */
	public static final String FAILURES_CONFIG = "ordersaga.processing-failures";

	private static final Logger logger = LoggerFactory.getLogger(SagaProductionExceptionHandler.class);

	private @Nullable ProcessingFailures failures;

	/**
	 * Makes a Kafka Streams configuration use this handler with the service's failures.
	 * @param config the configuration
	 * @param failures the service's {@link ProcessingFailures}
	 * @return the same configuration
	 */
	public static Properties use(Properties config, ProcessingFailures failures) {
		config.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, SagaProductionExceptionHandler.class);
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
	}

	@Override
	public ProductionExceptionHandlerResponse handle(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
			Exception exception) {
		return decide(context, record, exception);
	}

	@Override
	public ProductionExceptionHandlerResponse handleSerializationException(ErrorHandlerContext context,
			ProducerRecord record, Exception exception, SerializationExceptionOrigin origin) {
		return decide(context, record, exception);
	}

	private ProductionExceptionHandlerResponse decide(ErrorHandlerContext context, ProducerRecord<?, ?> output,
			Exception exception) {
		if (exception instanceof RetriableException) {
			return ProductionExceptionHandlerResponse.RETRY;
		}
		String topic = context.topic();
		if (topic == null || context.offset() < 0) {
			// Written by a punctuation, not for an input record: nothing to dead-letter.
			return ProductionExceptionHandlerResponse.FAIL;
		}
		ProcessingFailures failures = this.failures;
		if (failures == null) {
			throw new IllegalStateException("not configured");
		}
		if (failures.isBeingDeadLettered(topic, context.partition(), context.offset())) {
			logger.error(
					"Skipping record {}-{}@{}: not even its dead letter can be written to {} ({}); "
							+ "the record stays in its topic",
					topic, context.partition(), context.offset(), output.topic(), exception.toString());
			return ProductionExceptionHandlerResponse.CONTINUE;
		}
		logger.warn("Cannot write the output of record {}-{}@{} to {} ({}); it becomes a dead letter", topic,
				context.partition(), context.offset(), output.topic(), exception.toString());
		failures.outputFailed(topic, context.partition(), context.offset(),
				(exception instanceof RuntimeException runtime) ? runtime
						: new StreamsException("Cannot write to " + output.topic(), exception));
		return ProductionExceptionHandlerResponse.FAIL;
	}

}
