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
 * Written by the projection's thread only; {@link #count()} may be read by any thread.
 */
final class PendingOrders {

	private final Duration window;

	/**
	 * Placement times by order, in the order read: about the order of placing, which is
	 * all that pruning by age needs.
	 */
	private final Map<UUID, Instant> placed = new LinkedHashMap<>();

	private volatile int count;

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
	 * Stops counting an order read as ended.
	 * @param orderId the order
	 */
	void ended(UUID orderId) {
		this.placed.remove(orderId);
	}

	/**
	 * Forgets the orders older than the window and publishes the count.
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
	}

	/**
	 * How many orders are pending, as of the last {@link #prune}.
	 * @return the count
	 */
	int count() {
		return this.count;
	}

}
