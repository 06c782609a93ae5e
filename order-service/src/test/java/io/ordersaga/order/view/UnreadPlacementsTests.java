package io.ordersaga.order.view;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UnreadPlacementsTests {

	private static final TopicPartition FIRST = new TopicPartition("orders", 0);

	private static final TopicPartition SECOND = new TopicPartition("orders", 1);

	private final Map<TopicPartition, Long> positions = new HashMap<>();

	private final AtomicLong nanoTime = new AtomicLong();

	private final UnreadPlacements unread = new UnreadPlacements(Duration.ofSeconds(90), this.nanoTime::get);

	@Test
	void anOrderCountsUntilTheProjectionHasReadPastIt() {
		// Request threads may report their acknowledgements in any order.
		this.unread.placed(FIRST, 7);
		this.unread.placed(FIRST, 5);
		this.unread.placed(SECOND, 3);
		assertThat(count()).isEqualTo(3);

		// The position is the offset after the last record read: 5 is read, 7 is not.
		this.positions.put(FIRST, 6L);
		assertThat(count()).isEqualTo(2);
		this.positions.put(FIRST, 8L);
		this.positions.put(SECOND, 4L);
		assertThat(count()).isZero();

		this.unread.placed(SECOND, 4);
		assertThat(count()).isEqualTo(1);
	}

	@Test
	void beforeItsFirstReadNothingOnAPartitionIsRead() {
		this.unread.placed(FIRST, 0);
		assertThat(count()).isEqualTo(1);
	}

	@Test
	void anOffsetReportedTwiceCountsOnce() {
		this.unread.placed(FIRST, 2);
		this.unread.placed(FIRST, 2);
		assertThat(count()).isEqualTo(1);
		this.positions.put(FIRST, 3L);
		assertThat(count()).isZero();
	}

	@Test
	void anOrderTheProjectionNeverReachesCountsNoLongerThanAPendingOrder() {
		// A topic deleted and made again starts its offsets at 0 again.
		this.unread.placed(FIRST, 5_000);
		this.nanoTime.addAndGet(Duration.ofSeconds(60).toNanos());
		this.unread.placed(FIRST, 5_001);
		this.positions.put(FIRST, 0L);
		assertThat(count()).isEqualTo(2);

		this.nanoTime.addAndGet(Duration.ofSeconds(31).toNanos());
		assertThat(count()).isEqualTo(1);
		this.nanoTime.addAndGet(Duration.ofSeconds(60).toNanos());
		assertThat(count()).isZero();
	}

	private int count() {
		return this.unread.count((partition) -> this.positions.getOrDefault(partition, -1L));
	}

}
