package io.ordersaga.support.streams;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.processor.api.RecordMetadata;

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

	/** Records that failed fewer times than allowed, with their count. */
	private final Map<Source, Integer> failing = new ConcurrentHashMap<>();

	/**
	 * Records given up on, with their last error. Kept: should the transaction of a dead
	 * letter be aborted too, the next reading makes it a dead letter again rather than
	 * trying it from the start.
	 */
	private final Map<Source, RuntimeException> givenUp = new ConcurrentHashMap<>();

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
	 * Processes a record under this policy: a record given up on goes to
	 * {@code deadLetter} with its last error, without being processed; otherwise
	 * {@code process} runs, and an exception it lets through is counted and rethrown.
	 * Kafka's own exceptions (a fenced producer, a migrated task) are Kafka Streams' to
	 * handle and not counted.
	 * @param processor the processor, for example {@code order-saga}
	 * @param metadata where the record came from
	 * @param process processes the record
	 * @param deadLetter makes the record a dead letter with an error
	 */
	public void guard(String processor, RecordMetadata metadata, Runnable process,
			Consumer<RuntimeException> deadLetter) {
		Source source = new Source(processor, metadata.topic(), metadata.partition(), metadata.offset());
		RuntimeException lastError = this.givenUp.isEmpty() ? null : this.givenUp.get(source);
		if (lastError != null) {
			deadLetter.accept(lastError);
			return;
		}
		try {
			process.run();
		}
		catch (RuntimeException ex) {
			if (!(ex instanceof KafkaException) && this.failing.merge(source, 1, Integer::sum) >= this.attempts) {
				this.failing.remove(source);
				this.givenUp.put(source, ex);
			}
			throw ex;
		}
		if (!this.failing.isEmpty()) {
			this.failing.remove(source);
		}
	}

	private record Source(String processor, String topic, int partition, long offset) {
	}

}
