package io.ordersaga.order.view;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The orders placed within a window (the saga's payment timeout) that have not ended yet,
 * as the projection reads them: the saga's backlog, every instance's, since the
 * projection reads every partition. An order older than the window is the saga's to
 * cancel, or one it could not process (a dead letter), so it no longer counts as waiting
 * in line.
 *
 * <p>
 * Kept on the heap only, and bounded by the orders placed within the window that have not
 * ended, which admission control keeps small. A restart replays the topics from the
 * projection's stored position, so orders placed within the window before it and still
 * pending are counted only once they end or age out: for at most the window, an instance
 * that just started counts fewer than there are.
 *
 * <p>
 * It also measures how fast the line moves: the orders counted here that ended within the
 * last {@link #RATE_WINDOW}, placed in buckets by the time their end was written (not
 * read), so that a replay after a restart does not look like a burst of completions.
 *
 * <p>
 * Written by the projection's thread only; {@link #count()} and {@link #endedPerSecond()}
 * may be read by any thread.
 */
final class PendingOrders {

	/** How far back the rate of ends is measured. */
	static final Duration RATE_WINDOW = Duration.ofSeconds(2);

	private static final long BUCKET_MILLIS = 100;

	private static final int BUCKETS = Math.toIntExact(RATE_WINDOW.toMillis() / BUCKET_MILLIS);

	private final Duration window;

	/**
	 * Ends per bucket of {@link #BUCKET_MILLIS}, by the bucket's number since the epoch.
	 */
	private final long[] endsByBucket = new long[BUCKETS];

	private final long[] bucketOf = new long[BUCKETS];

	/**
	 * Placement times by order, in the order read: about the order of placing, which is
	 * all that pruning by age needs.
	 */
	private final Map<UUID, Instant> placed = new LinkedHashMap<>();

	private volatile int count;

	private volatile double endedPerSecond;

	PendingOrders(Duration window) {
		this.window = window;
	}

	/**
	 * Counts an order read as placed, unless it is already older than the window (a
	 * replay of the topics).
	 * @param orderId the order
	 * @param placedAt when it was placed
	 * @param now the time now
	 */
	void placed(UUID orderId, Instant placedAt, Instant now) {
		if (placedAt.isAfter(now.minus(this.window))) {
			this.placed.put(orderId, placedAt);
		}
	}

	/**
	 * Stops counting an order read as ended, and counts its end towards the rate if it
	 * was pending.
	 * @param orderId the order
	 * @param endedAt when its end was written
	 * @param now the time now
	 */
	void ended(UUID orderId, Instant endedAt, Instant now) {
		if (this.placed.remove(orderId) == null) {
			return;
		}
		// Another instance's clock may run a little ahead of this one.
		long bucket = Math.min(endedAt.toEpochMilli(), now.toEpochMilli()) / BUCKET_MILLIS;
		long newest = now.toEpochMilli() / BUCKET_MILLIS;
		if (bucket <= newest - BUCKETS) {
			return;
		}
		int slot = (int) Math.floorMod(bucket, BUCKETS);
		if (this.bucketOf[slot] != bucket) {
			this.bucketOf[slot] = bucket;
			this.endsByBucket[slot] = 0;
		}
		this.endsByBucket[slot]++;
	}

	/**
	 * Forgets the orders older than the window and publishes the count and the rate of
	 * ends.
	 * @param now the time now
	 */
	void prune(Instant now) {
		Instant oldest = now.minus(this.window);
		for (Iterator<Instant> times = this.placed.values().iterator(); times.hasNext();) {
			if (times.next().isAfter(oldest)) {
				break;
			}
			times.remove();
		}
		this.count = this.placed.size();
		long newest = now.toEpochMilli() / BUCKET_MILLIS;
		long ends = 0;
		for (int slot = 0; slot < BUCKETS; slot++) {
			if (this.bucketOf[slot] > newest - BUCKETS) {
				ends += this.endsByBucket[slot];
			}
		}
		this.endedPerSecond = ends / (RATE_WINDOW.toMillis() / 1000.0);
	}

	/**
	 * How many orders are pending, as of the last {@link #prune}.
	 * @return the count
	 */
	int count() {
		return this.count;
	}

	/**
	 * How many of the orders counted here ended per second over the last
	 * {@link #RATE_WINDOW}, as of the last {@link #prune}.
	 * @return the rate
	 */
	double endedPerSecond() {
		return this.endedPerSecond;
	}

}
