package io.ordersaga.support.streams;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.jspecify.annotations.Nullable;

/**
 * Decides what becomes of a record whose processing failed with an error the processor
 * did not expect — not a bad record, which goes to the dead-letter topic at once, but,
 * say, a resource that is briefly unavailable, or a bug that only this record triggers.
 * Every failure propagates: Kafka Streams aborts the transaction, so nothing the failed
 * attempt did is kept, and the stream thread is replaced after a pause
 * ({@link ReplaceThreadAfterBackOff}) to read the record again. Once a record has failed
 * as often as allowed, the next reading does not process it but makes it a dead letter,
 * in a transaction of its own, so that it cannot stop its partition for good.
 *
 * <p>
 * The counts are kept per record (processor, topic, partition, offset) for the life of
 * the JVM, across the replaced threads; one instance serves a service's processors. A
 * replaced thread's consumer does not leave the group, so each retry waits for its
 * session to expire (10 s in the services) before the partitions are read again: a record
 * that keeps failing holds its partition up for about half a minute.
 */
public final class ProcessingFailures {

	private final int attempts;

	private final Map<String, Failure> failures = new ConcurrentHashMap<>();

	/**
	 * Creates the policy.
	 * @param attempts how often a record is processed before it becomes a dead letter
	 */
	public ProcessingFailures(int attempts) {
		if (attempts < 1) {
			throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
		}
		this.attempts = attempts;
	}

	/**
	 * Counts a failure. Kafka's own exceptions (a fenced producer, a migrated task) are
	 * Kafka Streams' to handle and not counted.
	 * @param processor the processor that failed, for example {@code order-saga}
	 * @param source where the record came from
	 * @param error what went wrong
	 */
	public void failed(String processor, RecordMetadata source, RuntimeException error) {
		if (!(error instanceof KafkaException)) {
			this.failures.merge(key(processor, source), new Failure(1, error),
					(earlier, next) -> new Failure(earlier.count() + 1, error));
		}
	}

	/**
	 * The error to dead-letter a record with, if it has failed as often as allowed.
	 * @param processor the processor about to process the record
	 * @param source where the record came from
	 * @return the last error, or {@code null} to process the record
	 */
	public @Nullable RuntimeException givenUp(String processor, RecordMetadata source) {
		if (this.failures.isEmpty()) {
			return null;
		}
		// Kept: should the transaction of the dead letter be aborted too, the next
		// reading makes it a dead letter again rather than trying it from the start.
		Failure failure = this.failures.get(key(processor, source));
		return (failure != null && failure.count() >= this.attempts) ? failure.last() : null;
	}

	/**
	 * Forgets the failures of a record once it has been processed.
	 * @param processor the processor
	 * @param source where the record came from
	 */
	public void succeeded(String processor, RecordMetadata source) {
		if (!this.failures.isEmpty()) {
			this.failures.remove(key(processor, source));
		}
	}

	private static String key(String processor, RecordMetadata source) {
		return processor + "/" + source.topic() + "-" + source.partition() + "@" + source.offset();
	}

	private record Failure(int count, RuntimeException last) {
	}

}
