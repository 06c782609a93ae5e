package io.ordersaga.order.view;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.Topic;
import io.ordersaga.support.TopicFollower;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * The first {@code OrderPlaced} of each order placed with an {@code Idempotency-Key},
 * read from {@code orders} as soon as the broker has it: what a keyed
 * {@code POST /orders} needs to tell whether its attempt came first, without waiting for
 * the transactions open on the partition to end.
 *
 * <p>
 * The {@link OrderProjection} reads committed records only, so it reads nothing on a
 * partition past a transaction still open there, and the saga's own exactly-once
 * transactions on {@code orders} stay open for a commit interval or more. A keyed
 * placement that waited for the projection to read its record back waited for them,
 * holding one of the placements admission control allows at once, so that while the saga
 * committed less often (or a commit was slow) keyed orders were refused for want of room
 * to place them.
 *
 * <p>
 * Reading uncommitted records is sound here: {@code OrderPlaced} is written by
 * order-service's idempotent producer outside any transaction ({@code OrderPlacement}),
 * so once it is on a partition nothing undoes it, and the broker serves no reader past
 * the records every in-sync replica has, as {@code acks=all} waits for. The records a
 * transaction might still undo (the saga's ends of orders, or whatever a stalled writer
 * left) are not placements. This rests on no transactional writer ever writing
 * {@code OrderPlaced}: only {@code OrderPlacement} writes it, and in secure mode only
 * order-service may write to {@code orders}; an aborted transaction holding one would be
 * taken for a placement.
 *
 * <p>
 * What it keeps is the projection's lag, no more: it starts where the projection has
 * read, once the projection has caught up after a start, and forgets each placement once
 * the projection has read past it, which then answers for it. Only orders with a key are
 * kept (their ids are name-based, UUID version 3; an order without a key has a random id,
 * version 4, and is never looked for). At most {@code maxKept} at once: while the
 * projection stands still, the placements past that are not kept, and until the
 * projection has read past them this cannot tell, and the caller waits for the projection
 * as before.
 */
@Component
public class FirstPlacements extends TopicFollower {

	/** How many placements are kept at most, by default. */
	static final int MAX_KEPT = 5000;

	private static final int NAME_BASED_VERSION = 3;

	private final OrderProjection projection;

	private final int maxKept;

	/** The first placement of each order read and kept. */
	private final Map<UUID, Kept> first = new ConcurrentHashMap<>();

	/**
	 * The placements kept, in the order read on each partition, to forget them in that
	 * order. The follower's thread only.
	 */
	private final Map<TopicPartition, ArrayDeque<Kept>> byPartition = new HashMap<>();

	/**
	 * On each partition, the offset after the last placement that was not kept for want
	 * of room: until the projection has read that far, this cannot tell.
	 */
	private final Map<TopicPartition, Long> notKeptBelow = new ConcurrentHashMap<>();

	/**
	 * Creates the reader.
	 * @param kafka how to reach Kafka
	 * @param projection the committed read side, which answers for what this forgets
	 */
	@Autowired
	public FirstPlacements(KafkaProperties kafka, OrderProjection projection) {
		this(kafka, projection, MAX_KEPT);
	}

	FirstPlacements(KafkaProperties kafka, OrderProjection projection, int maxKept) {
		super("first-placements", List.of(Topic.ORDERS.topicName()), kafka, true);
		this.projection = projection;
		this.maxKept = maxKept;
	}

	/**
	 * The order as its first {@code OrderPlaced} placed it, once this has read a
	 * placement of it: the projection's view if it has read the order, what this read
	 * otherwise.
	 * @param orderId the order, whose id a key names
	 * @param partition where a placement of it was written
	 * @param offset the offset of that placement
	 * @param maxWait how long to wait for this to read that far
	 * @return the order, or empty if this cannot tell: it did not read that far in time,
	 * or it did not keep every placement before it
	 */
	public Optional<OrderView> first(UUID orderId, TopicPartition partition, long offset, Duration maxWait) {
		long read = position(partition);
		// Not reading, or not reading this partition (one added since it started): the
		// wait would be in vain.
		if (read <= offset && (read < 0 || !isFollowing() || !awaitPosition(partition, offset + 1, maxWait))) {
			return Optional.empty();
		}
		// The projection's view is the first placement of all it has read. This forgets a
		// placement only once the projection has read it, so a placement missing here
		// after one missing there is there when asked again. How far the projection has
		// read is taken before it is asked again: it shows what it folded before it moves
		// its position, so a placement not kept below that position would be found.
		Optional<OrderView> view = this.projection.find(orderId);
		if (view.isPresent()) {
			return view;
		}
		Kept kept = this.first.get(orderId);
		long projected = this.projection.position(partition);
		view = this.projection.find(orderId);
		if (view.isPresent()) {
			return view;
		}
		if (kept == null || this.notKeptBelow.getOrDefault(partition, -1L) > projected) {
			return Optional.empty();
		}
		return Optional.of(kept.view());
	}

	/**
	 * How many placements are kept now.
	 * @return the number kept
	 */
	public int kept() {
		return this.first.size();
	}

	/**
	 * Where the projection has read: this starts once the projection has caught up with
	 * the topics, so that a start never reads the history twice (until then, placements
	 * wait for the projection).
	 */
	@Override
	protected long startingPosition(TopicPartition partition) {
		long read = this.projection.position(partition);
		if (!this.projection.isCaughtUp() || read < 0) {
			throw new TimeoutException("order-projection has not caught up with " + partition.topic()
					+ " yet; first-placements starts where it has read once it has");
		}
		// What an earlier start kept of this partition goes: the projection answers for
		// what it has read, and the rest is read again.
		ArrayDeque<Kept> kept = this.byPartition.remove(partition);
		if (kept != null) {
			kept.forEach((known) -> this.first.remove(known.orderId(), known));
		}
		this.notKeptBelow.remove(partition);
		return read;
	}

	@Override
	protected void fold(ConsumerRecord<String, byte[]> record) {
		UUID orderId = keyedOrderId(record.key());
		if (orderId == null || this.first.containsKey(orderId)) {
			return;
		}
		Optional<EventEnvelope<?>> read = event(record, record.topic());
		if (read.isEmpty() || !(read.get().data() instanceof OrderPlaced)) {
			return;
		}
		TopicPartition partition = new TopicPartition(record.topic(), record.partition());
		if (this.first.size() >= this.maxKept) {
			this.notKeptBelow.put(partition, record.offset() + 1);
			return;
		}
		@SuppressWarnings("unchecked")
		Kept kept = new Kept(orderId, record.offset(), OrderView.placed((EventEnvelope<OrderPlaced>) read.get()));
		this.first.put(orderId, kept);
		this.byPartition.computeIfAbsent(partition, (key) -> new ArrayDeque<>()).add(kept);
	}

	/** Forgets the placements the projection has read since. */
	@Override
	protected void polled() {
		this.byPartition.forEach((partition, kept) -> {
			long read = this.projection.position(partition);
			while (!kept.isEmpty() && kept.peekFirst().offset() < read) {
				Kept known = kept.pollFirst();
				this.first.remove(known.orderId(), known);
			}
		});
	}

	/** The order a record's key names, if a key chose it; {@code null} otherwise. */
	private static @Nullable UUID keyedOrderId(@Nullable String key) {
		if (key == null) {
			return null;
		}
		try {
			UUID orderId = UUID.fromString(key);
			return (orderId.version() == NAME_BASED_VERSION) ? orderId : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * A placement kept.
	 *
	 * @param orderId the order
	 * @param offset where its {@code OrderPlaced} is
	 * @param view the order as it placed it
	 */
	private record Kept(UUID orderId, long offset, OrderView view) {

	}

}
