package io.ordersaga.support.streams;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.errors.TaskMigratedException;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.jspecify.annotations.Nullable;

/**
 * Decides what becomes of a record whose processing failed with an error the processor
 * did not expect — not a bad record, which becomes a dead letter at once, but, say, a
 * resource that is briefly unavailable, a bug that only this record triggers, or an
 * output that cannot be written. Every failure propagates: Kafka Streams aborts the
 * transaction, so nothing the failed attempt did is kept, and the stream thread is
 * replaced after a pause ({@link ReplaceThreadAfterBackOff}) to read the record again.
 *
 * <p>
 * A failure that can pass by itself ({@link #canPass}: the broker unreachable, a
 * time-out, a rebalance, a store that cannot be written) is retried for as long as it
 * lasts. Any other failure will happen again with the same record, so once a record has
 * failed {@code attempts} times, or at once when it cannot be written out
 * ({@link StreamsErrorHandler}), the next reading does not process it but throws a
 * {@link DeadLetterException}, which Kafka Streams' processing exception handler turns
 * into a dead letter, so that the record cannot stop its partition for good. Should even
 * the dead letter fail to be written, the record is given up and skipped
 * ({@link #isBeingDeadLettered}): it stays in its topic, which keeps every record.
 *
 * <p>
 * The counts are kept per record (processor, topic, partition, offset) across the
 * replaced threads; one instance serves a service's processors. They are bounded: at most
 * {@value #REMEMBERED} records of each kind are remembered, the oldest forgotten first,
 * which at worst makes a forgotten record fail a few more times. A replaced thread's
 * consumer does not leave the group, so each retry waits for its session to expire (10 s
 * in the services) before the partitions are read again: a record that keeps failing
 * holds its partition up for about half a minute.
 *
 * <p>
 * The policy also says where a topic's dead letters go and counts them, for the
 * {@link StreamsErrorHandler} that writes them.
 */
public final class ProcessingFailures {

	/** How many records of each kind (failing, given up) are remembered at most. */
	static final int REMEMBERED = 1000;

	private final int attempts;

	private final DeadLetterTopics deadLetterTopics;

	private final Consumer<String> deadLettered;

	/** Records that failed fewer times than allowed, with their count. */
	private final Map<Source, Integer> failing = bounded();

	/**
	 * Records given up on, with their last error. Kept: should the transaction of a dead
	 * letter be aborted too, the next reading makes it a dead letter again rather than
	 * trying it from the start.
	 */
	private final Map<Source, RuntimeException> givenUp = bounded();

	/** Records whose dead letter is being written, by topic, partition and offset. */
	private final Map<Source, Boolean> deadLettering = bounded();

	/**
	 * Creates the policy, with each topic's dead letters in {@code <topic>-dlt} and
	 * nothing counting them.
	 * @param attempts how often a record is processed before it becomes a dead letter
	 */
	public ProcessingFailures(int attempts) {
		this(attempts, DeadLetterTopics::standard, (topic) -> {
		});
	}

	/**
	 * Creates the policy.
	 * @param attempts how often a record is processed before it becomes a dead letter
	 * @param deadLetterTopics the dead-letter topic of each topic a record is read from
	 * @param deadLettered called with the source topic of each dead letter written
	 */
	public ProcessingFailures(int attempts, DeadLetterTopics deadLetterTopics, Consumer<String> deadLettered) {
		if (attempts < 1) {
			throw new IllegalArgumentException("attempts must be at least 1, not " + attempts);
		}
		this.attempts = attempts;
		this.deadLetterTopics = deadLetterTopics;
		this.deadLettered = deadLettered;
	}

	/**
	 * Processes a record under this policy: a record given up on is not processed, but
	 * rejected with a {@link DeadLetterException} carrying its last error; otherwise
	 * {@code process} runs, and an exception it lets through is counted, unless it can
	 * pass or rejects the record, and rethrown.
	 * @param processor the processor, for example {@code order-saga}
	 * @param metadata where the record came from
	 * @param process processes the record
	 * @throws DeadLetterException if the record is to become a dead letter
	 */
	public void guard(String processor, RecordMetadata metadata, Runnable process) {
		Source source = new Source(processor, metadata.topic(), metadata.partition(), metadata.offset());
		RuntimeException lastError;
		synchronized (this) {
			lastError = this.givenUp.isEmpty() ? null : (this.givenUp.containsKey(source) ? this.givenUp.get(source)
					: this.givenUp.get(source.anyProcessor()));
		}
		if (lastError != null) {
			throw new DeadLetterException(lastError);
		}
		try {
			process.run();
		}
		catch (DeadLetterException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			if (!canPass(ex)) {
				synchronized (this) {
					if (this.failing.merge(source, 1, Integer::sum) >= this.attempts) {
						giveUp(source, ex);
					}
				}
			}
			throw ex;
		}
		if (!this.failing.isEmpty()) {
			synchronized (this) {
				this.failing.remove(source);
			}
		}
	}

	/**
	 * Gives up on the record being processed when an output of it cannot be written for a
	 * reason that will not pass, such as a record too large for its topic or a value its
	 * serializer refuses: the next reading makes it a dead letter. Called by
	 * {@link StreamsErrorHandler}, which knows the record only by its topic, partition
	 * and offset.
	 * @param topic the record's topic
	 * @param partition its partition
	 * @param offset its offset
	 * @param error why its output could not be written
	 */
	public synchronized void outputFailed(String topic, int partition, long offset, RuntimeException error) {
		giveUp(new Source(null, topic, partition, offset), error);
	}

	/**
	 * Notes that a record's dead letter is being written, and counts it.
	 * @param topic the record's topic
	 * @param partition its partition
	 * @param offset its offset
	 */
	void deadLettering(String topic, int partition, long offset) {
		synchronized (this) {
			this.deadLettering.put(new Source(null, topic, partition, offset), Boolean.TRUE);
		}
		deadLettered(topic);
	}

	/**
	 * Counts a dead letter.
	 * @param topic the topic its record came from
	 */
	void deadLettered(String topic) {
		this.deadLettered.accept(topic);
	}

	/**
	 * Whether a record is being made a dead letter: if that fails too, it cannot be
	 * written anywhere, and is skipped.
	 * @param topic the record's topic
	 * @param partition its partition
	 * @param offset its offset
	 * @return {@code true} once the record's dead letter has been handed to Kafka Streams
	 */
	public synchronized boolean isBeingDeadLettered(String topic, int partition, long offset) {
		return this.deadLettering.containsKey(new Source(null, topic, partition, offset));
	}

	/**
	 * The dead-letter topic of a topic records are read from.
	 * @param sourceTopic the topic
	 * @return for example {@code payments-dlt}
	 */
	public String deadLetterTopic(String sourceTopic) {
		return this.deadLetterTopics.deadLetterTopic(sourceTopic);
	}

	private void giveUp(Source source, RuntimeException error) {
		this.failing.remove(source);
		this.givenUp.put(source, error);
	}

	/**
	 * Whether a failure can pass without the record changing: the broker unreachable, a
	 * time-out, a rebalance or fencing (which Kafka Streams handles), a state store that
	 * cannot be written, an interrupted thread. Anything else will happen again.
	 * @param error the failure
	 * @return {@code true} if processing the record again may succeed
	 */
	public static boolean canPass(Throwable error) {
		for (Throwable cause = error; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof RetriableException || cause instanceof TaskMigratedException
					|| cause instanceof TaskCorruptedException || cause instanceof ProducerFencedException
					|| cause instanceof InvalidProducerEpochException || cause instanceof ProcessorStateException
					|| cause instanceof InterruptException || cause instanceof InterruptedException) {
				return true;
			}
		}
		return false;
	}

	private static <V> Map<Source, V> bounded() {
		return new LinkedHashMap<>(16, 0.75f, false) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<Source, V> eldest) {
				return size() > REMEMBERED;
			}

		};
	}

	/**
	 * A record as one processor reads it, or, with no processor, as any does.
	 */
	private record Source(@Nullable String processor, String topic, int partition, long offset) {

		Source anyProcessor() {
			return new Source(null, this.topic, this.partition, this.offset);
		}

	}

}
