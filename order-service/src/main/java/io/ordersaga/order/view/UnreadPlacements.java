package io.ordersaga.order.view;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

import org.apache.kafka.common.TopicPartition;

/**
 * The orders this instance placed that the projection has not read yet: where the broker
 * put each {@code OrderPlaced} once it acknowledged it, until the projection's position
 * on that partition passes it. An order placed without an {@code Idempotency-Key} is
 * answered as soon as the broker has it, so until it is read it is in the saga's line but
 * not yet in {@link PendingOrders}; while the projection stood still (a transaction left
 * open on {@code orders}, a stopped world), admission control saw no line grow and took
 * such orders without bound.
 *
 * <p>
 * Bounded by what admission control lets in: every entry is an order it admitted, and an
 * entry goes once it is read, or once it is older than the window in which an order
 * counts as pending, as {@link PendingOrders} forgets one. Without the second, offsets
 * the projection never reaches (a topic deleted and made again starts at 0) would count
 * for ever. Any thread may add and count.
 */
final class UnreadPlacements {

	private final Map<TopicPartition, ConcurrentNavigableMap<Long, Long>> placedAt = new ConcurrentHashMap<>();

	private final AtomicInteger count = new AtomicInteger();

	private final long windowNanos;

	private final LongSupplier nanoTime;

	/**
	 * Creates the count.
	 * @param window how long an order counts at most
	 * @param nanoTime the clock, {@link System#nanoTime()} outside tests
	 */
	UnreadPlacements(Duration window, LongSupplier nanoTime) {
		this.windowNanos = window.toNanos();
		this.nanoTime = nanoTime;
	}

	/**
	 * Notes an order the broker acknowledged.
	 * @param partition where it was written
	 * @param offset its offset there
	 */
	void placed(TopicPartition partition, long offset) {
		if (this.placedAt.computeIfAbsent(partition, (key) -> new ConcurrentSkipListMap<>())
			.putIfAbsent(offset, this.nanoTime.getAsLong()) == null) {
			this.count.incrementAndGet();
		}
	}

	/**
	 * Forgets the orders read by now, or too old to count, and counts the rest.
	 * @param positions the projection's position on a partition: the offset after the
	 * last record it read there
	 * @return how many orders placed here are not read yet
	 */
	int count(ToLongFunction<TopicPartition> positions) {
		long oldest = this.nanoTime.getAsLong() - this.windowNanos;
		for (Map.Entry<TopicPartition, ConcurrentNavigableMap<Long, Long>> partition : this.placedAt.entrySet()) {
			ConcurrentNavigableMap<Long, Long> unread = partition.getValue();
			ConcurrentNavigableMap<Long, Long> read = unread.headMap(positions.applyAsLong(partition.getKey()));
			while (read.pollFirstEntry() != null) {
				this.count.decrementAndGet();
			}
			// The broker acknowledges a partition's records in the order of their
			// offsets, so the first entries are the oldest.
			for (Map.Entry<Long, Long> first = unread.firstEntry(); first != null
					&& first.getValue() - oldest < 0; first = unread.firstEntry()) {
				if (unread.remove(first.getKey(), first.getValue())) {
					this.count.decrementAndGet();
				}
			}
		}
		return this.count.get();
	}

}
