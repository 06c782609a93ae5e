package io.ordersaga.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.kafka.EventCodec;
import io.ordersaga.events.kafka.EventDeserializationException;
import io.ordersaga.support.web.BrokerUnavailableException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;

/**
 * Reads every partition of some topics, committed records only, and folds each record
 * into a read model ({@link #fold}), on one thread, for as long as the application runs:
 * the way each instance of a service builds a model that any instance can answer from. It
 * uses no consumer group and commits nothing to Kafka, so every instance reads
 * everything. The model lives in a {@link ReadModelStore} under the Kafka Streams state
 * directory, with the position reached on each partition, so a restart goes on from
 * there; without a state directory, or once a topic has been created again, the follower
 * reads from the beginning.
 *
 * <p>
 * A follower made {@link #TopicFollower(String, List, KafkaProperties, boolean) to read
 * uncommitted records} reads each record as soon as the broker has it, whether or not a
 * transaction holds it, and keeps its model on the heap only: a transaction may still
 * undo what it read, so nothing of it is stored as read, and every start begins where
 * {@link #startingPosition} says.
 *
 * <p>
 * It remembers how far it has read each partition, so a caller can wait until the model
 * includes a record it knows was written ({@link #awaitPosition}), or everything written
 * before a moment ({@link #awaitWrittenSoFar}); it waits for the broker when started
 * before it.
 */
public abstract class TopicFollower implements SmartLifecycle, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(TopicFollower.class);

	private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);

	private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

	private final String name;

	private final List<String> topics;

	private final Map<String, Object> consumerConfig;

	private final Map<String, Object> adminConfig;

	/** How far each partition has been read into the {@link #store}. */
	private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();

	/**
	 * Callers of {@link #awaitPosition} by partition, lowest offset first. Each is woken
	 * only when its own offset has been read: with hundreds of requests waiting, waking
	 * them all after every poll cost more than the reading.
	 */
	private final Map<TopicPartition, ConcurrentSkipListSet<Reader>> readers = new ConcurrentHashMap<>();

	private final AtomicLong readerSequence = new AtomicLong();

	/** What the follower's thread waits on between attempts; {@link #stop()} wakes it. */
	private final Object pauses = new Object();

	/** Guards {@link #caughtUp} for {@link #awaitCaughtUp}. */
	private final Object progress = new Object();

	/**
	 * The partitions of each topic, as the broker's metadata gave them when the follower
	 * assigned them.
	 */
	private volatile Map<String, List<TopicPartition>> partitionsByTopic = Map.of();

	private volatile @Nullable KafkaConsumer<String, byte[]> consumer;

	private volatile @Nullable Thread thread;

	private volatile boolean caughtUp;

	private volatile boolean running;

	/** Whether the follower reads the topics now, as opposed to waiting to try again. */
	private volatile boolean following;

	/**
	 * Whether a poll was stored since the last failure, which starts the pauses afresh.
	 */
	private volatile boolean progressed;

	private volatile @Nullable RuntimeException failure;

	private @Nullable Admin admin;

	/** The model's store; {@code null} for a follower that reads uncommitted records. */
	private final @Nullable ReadModelStore store;

	/**
	 * Creates a follower of committed records, its model in a {@link ReadModelStore}.
	 * @param name the follower's name, which names its thread and its store
	 * @param topics the topics to follow
	 * @param kafka how to reach Kafka, and the state directory
	 */
	protected TopicFollower(String name, List<String> topics, KafkaProperties kafka) {
		this(name, topics, kafka, false);
	}

	/**
	 * Creates a follower.
	 * @param name the follower's name, which names its thread and its store
	 * @param topics the topics to follow
	 * @param kafka how to reach Kafka, and the state directory
	 * @param uncommitted whether to read every record as soon as the broker has it, those
	 * of open and aborted transactions too, with the model on the heap only and each
	 * start at {@link #startingPosition}; otherwise committed records only, with the
	 * model in a {@link ReadModelStore}
	 */
	protected TopicFollower(String name, List<String> topics, KafkaProperties kafka, boolean uncommitted) {
		this.name = name;
		String stateDir = kafka.getStreams().getStateDir();
		if (uncommitted) {
			this.store = null;
		}
		else {
			this.store = (stateDir != null) ? ReadModelStore.open(Path.of(stateDir, name))
					: ReadModelStore.temporary(name);
		}
		this.topics = List.copyOf(topics);
		this.consumerConfig = new HashMap<>(kafka.buildConsumerProperties());
		this.consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG,
				(uncommitted ? IsolationLevel.READ_UNCOMMITTED : IsolationLevel.READ_COMMITTED).toString());
		this.consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		// A stored position that is no longer in the log (records deleted, or a topic
		// reset) goes on from the earliest record there is, never silently from the end.
		this.consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
		this.consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
		this.consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, name + "-" + UUID.randomUUID());
		this.adminConfig = new HashMap<>(kafka.buildAdminProperties());
	}

	/**
	 * The event a record holds.
	 * @param record the record
	 * @param topic the topic whose event types to accept, or {@code null} for any
	 * @return the event, or empty for a tombstone, a record that is not an event of the
	 * contract, or one whose key is not its event's key (the service that consumes the
	 * topic sends those to its dead-letter topic; a read model has nothing to show for
	 * them)
	 */
	protected static Optional<EventEnvelope<?>> event(ConsumerRecord<String, byte[]> record, @Nullable String topic) {
		if (record.value() == null) {
			return Optional.empty();
		}
		EventEnvelope<?> event;
		try {
			event = EventCodec.instance().decode(topic, record.value());
		}
		catch (EventDeserializationException ex) {
			logger.debug("Skipping unreadable record {}-{}@{}", record.topic(), record.partition(), record.offset());
			return Optional.empty();
		}
		if (!event.key().equals(record.key())) {
			logger.debug("Skipping record {}-{}@{}: its key is not its event's", record.topic(), record.partition(),
					record.offset());
			return Optional.empty();
		}
		return Optional.of(event);
	}

	/**
	 * The store of the model, for the subclass to make its tables of.
	 * @return the store
	 */
	protected final ReadModelStore store() {
		if (this.store == null) {
			throw new IllegalStateException(this.name + " reads uncommitted records and keeps its model on the heap");
		}
		return this.store;
	}

	/**
	 * Where a follower that reads uncommitted records starts reading a partition, on each
	 * start and after each failure. It may throw {@link TimeoutException} while it cannot
	 * tell yet; the follower then asks again a second later.
	 * @param partition the partition
	 * @return the offset to read from, or -1 for the beginning of the partition
	 */
	protected long startingPosition(TopicPartition partition) {
		return -1;
	}

	/**
	 * The version of the model's layout: a follower that changes what it keeps, or how,
	 * returns a higher number, so that a model kept on disk by an older version is
	 * discarded and rebuilt from the topics when the follower starts.
	 * @return the version, 1 unless the subclass says otherwise
	 */
	protected int modelVersion() {
		return 1;
	}

	/**
	 * Folds one record into the model, writing its changes to the {@link #store}. Called
	 * on the follower's thread only.
	 * @param record the record, its value not yet deserialized
	 */
	protected abstract void fold(ConsumerRecord<String, byte[]> record);

	/**
	 * Called on the follower's thread after each poll (at least every 100 ms while it
	 * follows), once the poll's changes are stored: for state that is not stored, such as
	 * what is kept for a while only. Does nothing unless overridden.
	 */
	protected void polled() {
	}

	/**
	 * Folds one record into the model and commits the change with the position after the
	 * record, as the follower does with each poll's records: for exercising the folding
	 * on a follower that is not started.
	 * @param record the record
	 */
	public final void apply(ConsumerRecord<String, byte[]> record) {
		apply(List.of(record));
	}

	/**
	 * Folds records into the model and commits the changes with the position after the
	 * last record of each partition, as the follower does with one poll's records.
	 * @param records the records, in the order of their offsets on each partition
	 */
	public final void apply(List<ConsumerRecord<String, byte[]>> records) {
		Map<TopicPartition, Long> moved = new HashMap<>();
		for (ConsumerRecord<String, byte[]> record : records) {
			fold(record);
			moved.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
		}
		if (this.store != null) {
			this.store.commit(moved);
		}
		this.positions.putAll(moved);
		polled();
	}

	/**
	 * Waits until a partition has been read up to an offset.
	 * @param partition the partition
	 * @param offset the offset to reach (the one after the last record to be read)
	 * @param maxWait how long to wait at most
	 * @return whether the offset was reached in time
	 */
	public boolean awaitPosition(TopicPartition partition, long offset, Duration maxWait) {
		if (position(partition) >= offset) {
			return true;
		}
		ConcurrentSkipListSet<Reader> waiting = this.readers.computeIfAbsent(partition,
				(key) -> new ConcurrentSkipListSet<>());
		Reader reader = new Reader(offset, this.readerSequence.incrementAndGet());
		waiting.add(reader);
		try {
			// The follower stores a position before it wakes the readers up to it, and
			// this reader was added before this look: one of the two sees the other.
			return position(partition) >= offset || reader.reached.await(maxWait.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		finally {
			waiting.remove(reader);
		}
	}

	/**
	 * How far a partition has been read.
	 * @param partition the partition
	 * @return the offset after the last record read there, or -1 before the first read
	 */
	public long position(TopicPartition partition) {
		return this.positions.getOrDefault(partition, -1L);
	}

	/** How many callers are waiting for a position now. */
	int waitingReaders() {
		return this.readers.values().stream().mapToInt(Set::size).sum();
	}

	/**
	 * Waits until the model includes every record written to some partitions before this
	 * call, for example one whose write the broker has just acknowledged to another
	 * instance. The end asked for is each partition's high watermark, not its last stable
	 * offset: while a transaction of another writer is open on a partition, the stable
	 * offset stays below records written after that transaction began, so waiting only
	 * for it would miss them. Committed records only are read, so this also waits for the
	 * transactions open now to end, which takes about a commit interval.
	 * @param partitions the partitions
	 * @param maxWait how long to wait, for the broker and for the follower
	 * @return whether the model got there in time; {@code false} also when the broker did
	 * not answer
	 */
	public boolean awaitWrittenSoFar(Collection<TopicPartition> partitions, Duration maxWait) {
		long deadline = System.nanoTime() + maxWait.toNanos();
		Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
		partitions.forEach((partition) -> latest.put(partition, OffsetSpec.latest()));
		Map<TopicPartition, ListOffsetsResultInfo> ends;
		try {
			ends = admin().listOffsets(latest).all().get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		catch (ExecutionException | java.util.concurrent.TimeoutException ex) {
			logger.warn("Could not read the end of {}: {}", partitions, ex.getMessage());
			return false;
		}
		for (Map.Entry<TopicPartition, ListOffsetsResultInfo> end : ends.entrySet()) {
			Duration remaining = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
			if (!awaitPosition(end.getKey(), end.getValue().offset(), remaining)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Waits until the model includes every record written to a topic before this call;
	 * see {@link #awaitWrittenSoFar(Collection, Duration)}. The topic's partitions are
	 * the ones the broker's metadata listed when the follower assigned them.
	 * @param topic one of the topics followed
	 * @param maxWait how long to wait, for the broker and for the follower
	 * @return whether the model got there in time; {@code false} also when the follower
	 * has not assigned the topic yet, or the broker did not answer
	 */
	public boolean awaitWrittenSoFar(String topic, Duration maxWait) {
		List<TopicPartition> partitions = this.partitionsByTopic.get(topic);
		return partitions != null && awaitWrittenSoFar(partitions, maxWait);
	}

	/**
	 * Whether the follower reads uncommitted records, its model on the heap only.
	 * @return {@code true} for a follower of uncommitted records
	 */
	public boolean readsUncommitted() {
		return this.store == null;
	}

	/**
	 * Whether the follower is reading the topics: {@code false} before it has assigned
	 * them, and while it waits to try again after a failure.
	 * @return {@code true} while following
	 */
	public boolean isFollowing() {
		return this.following;
	}

	/**
	 * Fails a read at once while the follower, having failed, waits to try again: the
	 * model is not moving, so waiting for it would only hold the request.
	 * @throws BrokerUnavailableException (503) if the follower has failed and not yet
	 * recovered
	 */
	protected final void requireFollowing() {
		RuntimeException failed = this.failure;
		if (failed != null && !this.following) {
			throw new BrokerUnavailableException(
					this.name + " is not reading Kafka now (it failed and tries again); retry shortly.", failed);
		}
	}

	/**
	 * Why the follower last failed, while it has not read anything since.
	 * @return the failure, or {@code null}
	 */
	public @Nullable RuntimeException failure() {
		return this.failure;
	}

	/**
	 * Whether everything the topics held when the follower started has been read.
	 * @return {@code true} once caught up
	 */
	public boolean isCaughtUp() {
		return this.caughtUp;
	}

	/**
	 * Waits until everything the topics held when the follower started has been read, so
	 * that an instance that is still replaying never answers from an older model than the
	 * one it would have shown a moment later.
	 * @param maxWait how long to wait at most
	 * @return whether the follower caught up in time
	 */
	public boolean awaitCaughtUp(Duration maxWait) {
		long deadline = System.nanoTime() + maxWait.toNanos();
		synchronized (this.progress) {
			while (!this.caughtUp) {
				long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
				if (remaining <= 0) {
					return false;
				}
				try {
					this.progress.wait(remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
		}
		return true;
	}

	private synchronized Admin admin() {
		if (this.admin == null) {
			this.admin = Admin.create(this.adminConfig);
		}
		return this.admin;
	}

	@Override
	public void start() {
		this.running = true;
		Thread follower = new Thread(this::follow, this.name);
		follower.setDaemon(true);
		this.thread = follower;
		follower.start();
	}

	/**
	 * Follows the topics until the follower stops. Whatever fails (a fold, the store, the
	 * consumer) is retried with a pause that doubles from 1 s to 30 s, from the last
	 * position stored; meanwhile the follower is not {@link #isFollowing following}.
	 */
	private void follow() {
		Duration pause = FIRST_PAUSE;
		while (this.running) {
			KafkaConsumer<String, byte[]> kafkaConsumer = new KafkaConsumer<>(this.consumerConfig,
					new StringDeserializer(), new ByteArrayDeserializer());
			this.consumer = kafkaConsumer;
			try (kafkaConsumer) {
				if (this.running) {
					run(kafkaConsumer);
				}
			}
			catch (WakeupException | InterruptException ex) {
				logger.debug("{} stopped", this.name);
			}
			catch (RuntimeException ex) {
				this.following = false;
				this.failure = ex;
				if (this.store != null) {
					this.store.discardPending();
				}
				pause = this.progressed ? FIRST_PAUSE : pause;
				this.progressed = false;
				logger.error("{} failed; following again in {} ms", this.name, pause.toMillis(), ex);
				pause(pause);
				pause = (pause.multipliedBy(2).compareTo(LONGEST_PAUSE) < 0) ? pause.multipliedBy(2) : LONGEST_PAUSE;
			}
		}
	}

	private void run(KafkaConsumer<String, byte[]> kafkaConsumer) {
		List<TopicPartition> partitions = assignAll(kafkaConsumer);
		this.following = true;
		Map<TopicPartition, Long> startingEnd = kafkaConsumer.endOffsets(partitions);
		while (true) {
			for (ConsumerRecord<String, byte[]> record : kafkaConsumer.poll(Duration.ofMillis(100))) {
				fold(record);
			}
			// One write per poll: the model's changes and where each partition now is
			// (past the records folded, and past transaction markers and aborted
			// records), so the two never disagree.
			Map<TopicPartition, Long> moved = new HashMap<>();
			for (TopicPartition partition : partitions) {
				long position = kafkaConsumer.position(partition);
				if (position != position(partition)) {
					moved.put(partition, position);
				}
			}
			if (!moved.isEmpty()) {
				if (this.store != null) {
					this.store.commit(moved);
				}
				this.positions.putAll(moved);
				this.progressed = true;
				this.failure = null;
			}
			polled();
			for (TopicPartition partition : partitions) {
				release(partition, position(partition));
			}
			if (!this.caughtUp
					&& startingEnd.entrySet().stream().allMatch((end) -> position(end.getKey()) >= end.getValue())) {
				synchronized (this.progress) {
					this.caughtUp = true;
					this.progress.notifyAll();
				}
				logger.info("{} caught up", this.name);
			}
		}
	}

	/** Pauses the follower's thread, until {@link #stop()} if that comes first. */
	private void pause(Duration pause) {
		long deadline = System.nanoTime() + pause.toNanos();
		synchronized (this.pauses) {
			long remaining;
			while (this.running && (remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) > 0) {
				try {
					this.pauses.wait(remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new InterruptException(ex);
				}
			}
		}
	}

	/** Wakes the callers waiting for a partition to be read up to a position. */
	private void release(TopicPartition partition, long position) {
		ConcurrentSkipListSet<Reader> waiting = this.readers.get(partition);
		if (waiting == null) {
			return;
		}
		for (Iterator<Reader> reached = waiting.headSet(new Reader(position, Long.MAX_VALUE), true).iterator(); reached
			.hasNext();) {
			Reader reader = reached.next();
			reached.remove();
			reader.reached.countDown();
		}
	}

	/**
	 * Assigns every partition, waiting for the broker and the topics as long as it takes.
	 */
	private List<TopicPartition> assignAll(KafkaConsumer<String, byte[]> kafkaConsumer) {
		for (int attempt = 1;; attempt++) {
			try {
				List<TopicPartition> partitions = new ArrayList<>();
				for (String topic : this.topics) {
					List<PartitionInfo> infos = kafkaConsumer.partitionsFor(topic, Duration.ofSeconds(5));
					if (infos == null || infos.isEmpty()) {
						throw new TimeoutException("Topic " + topic + " does not exist yet");
					}
					infos.forEach((info) -> partitions.add(new TopicPartition(info.topic(), info.partition())));
				}
				kafkaConsumer.assign(partitions);
				this.partitionsByTopic = Map
					.copyOf(partitions.stream().collect(Collectors.groupingBy(TopicPartition::topic)));
				Map<TopicPartition, Long> resumed = (this.store != null) ? this.store.resume(topicIds(), modelVersion())
						: startingPositions(partitions);
				// What the store holds is read that far already; a follower of
				// uncommitted records has read what comes before where it starts.
				this.positions.putAll(resumed);
				for (TopicPartition partition : partitions) {
					Long position = resumed.get(partition);
					if (position != null) {
						kafkaConsumer.seek(partition, position);
					}
					else {
						kafkaConsumer.seekToBeginning(List.of(partition));
					}
				}
				if (!resumed.isEmpty()) {
					logger.info("{} resumes from {}", this.name, resumed);
				}
				return partitions;
			}
			catch (TimeoutException ex) {
				// A missing topic is reported at once, so pause before asking again; say
				// so now and then, not on every attempt.
				if (attempt % 30 == 1) {
					logger.warn("{} waiting for Kafka: {}", this.name, ex.getMessage());
				}
				pause(Duration.ofSeconds(1));
				if (!this.running) {
					throw new WakeupException();
				}
			}
		}
	}

	@Override
	public void stop() {
		this.running = false;
		KafkaConsumer<String, byte[]> kafkaConsumer = this.consumer;
		if (kafkaConsumer != null) {
			kafkaConsumer.wakeup();
		}
		synchronized (this.pauses) {
			this.pauses.notifyAll();
		}
		// Woken, not interrupted: an interrupted thread cannot close its consumer
		// cleanly (the fetcher's close fails, and says so as an error).
		Thread follower = this.thread;
		if (follower != null) {
			try {
				follower.join(5000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		synchronized (this) {
			if (this.admin != null) {
				this.admin.close(Duration.ofSeconds(1));
				this.admin = null;
			}
		}
		this.thread = null;
		this.consumer = null;
	}

	/** Stops the follower, if it runs, and closes its store. */
	@Override
	public void close() {
		stop();
		if (this.store != null) {
			this.store.close();
		}
	}

	/**
	 * Where a follower that reads uncommitted records starts: the partitions it names.
	 */
	private Map<TopicPartition, Long> startingPositions(List<TopicPartition> partitions) {
		Map<TopicPartition, Long> starts = new HashMap<>();
		for (TopicPartition partition : partitions) {
			long start = startingPosition(partition);
			if (start >= 0) {
				starts.put(partition, start);
			}
		}
		return starts;
	}

	/**
	 * The id of each topic, which tells a topic from one deleted and created again under
	 * the same name.
	 */
	private Map<String, Uuid> topicIds() {
		try {
			Map<String, Uuid> ids = new HashMap<>();
			admin().describeTopics(this.topics)
				.allTopicNames()
				.get(5, TimeUnit.SECONDS)
				.forEach((topic, description) -> ids.put(topic, description.topicId()));
			return ids;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptException(ex);
		}
		catch (ExecutionException | java.util.concurrent.TimeoutException ex) {
			throw new TimeoutException("Could not describe " + this.topics + ": " + ex.getMessage());
		}
	}

	@Override
	public boolean isRunning() {
		return this.thread != null;
	}

	/**
	 * A caller waiting for a partition to be read up to an offset; the sequence tells
	 * apart two waiting for the same offset.
	 */
	private record Reader(long offset, long sequence, CountDownLatch reached) implements Comparable<Reader> {

		Reader(long offset, long sequence) {
			this(offset, sequence, new CountDownLatch(1));
		}

		@Override
		public int compareTo(Reader other) {
			int byOffset = Long.compare(this.offset, other.offset);
			return (byOffset != 0) ? byOffset : Long.compare(this.sequence, other.sequence);
		}

	}

}
