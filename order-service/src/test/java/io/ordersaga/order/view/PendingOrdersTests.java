package io.ordersaga.order.view;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The saga's backlog as the projection counts it. */
class PendingOrdersTests {

	private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");

	private final PendingOrders pending = new PendingOrders(Duration.ofSeconds(30));

	@Test
	void countsOrdersPlacedAndNotEndedOnceTheyArePruned() {
		UUID first = UUID.randomUUID();
		UUID second = UUID.randomUUID();
		this.pending.placed(first, NOW, NOW);
		this.pending.placed(second, NOW, NOW);
		assertThat(this.pending.count()).isZero();

		this.pending.prune(NOW);
		assertThat(this.pending.count()).isEqualTo(2);

		this.pending.ended(first, NOW, NOW);
		this.pending.ended(UUID.randomUUID(), NOW, NOW);
		this.pending.prune(NOW);
		assertThat(this.pending.count()).isEqualTo(1);
	}

	@Test
	void anOrderOlderThanTheWindowIsNotWaitingInLine() {
		this.pending.placed(UUID.randomUUID(), NOW.minusSeconds(31), NOW);
		this.pending.placed(UUID.randomUUID(), NOW.minusSeconds(20), NOW);
		this.pending.placed(UUID.randomUUID(), NOW.minusSeconds(5), NOW);
		this.pending.prune(NOW);
		assertThat(this.pending.count()).isEqualTo(2);

		// One the saga never ends (a dead letter) ages out instead of counting for ever.
		this.pending.prune(NOW.plusSeconds(11));
		assertThat(this.pending.count()).isEqualTo(1);
		this.pending.prune(NOW.plusSeconds(26));
		assertThat(this.pending.count()).isZero();
	}

	@Test
	void measuresHowManyOfItsOrdersEndedPerSecondOverTheLastTwoSeconds() {
		for (int i = 0; i < 10; i++) {
			UUID order = UUID.randomUUID();
			this.pending.placed(order, NOW.minusSeconds(1), NOW);
			this.pending.ended(order, NOW.minusMillis(100 * i), NOW);
		}
		// Ends of orders not counted here (placed before a restart, or ended twice) are
		// not the line moving.
		this.pending.ended(UUID.randomUUID(), NOW, NOW);
		this.pending.prune(NOW);
		assertThat(this.pending.endedPerSecond()).isEqualTo(5.0);

		this.pending.prune(NOW.plusMillis(1500));
		assertThat(this.pending.endedPerSecond()).isEqualTo(2.5);
		this.pending.prune(NOW.plusSeconds(3));
		assertThat(this.pending.endedPerSecond()).isZero();
	}

	@Test
	void countsEndsWhenTheyWereWrittenNotWhenTheyWereRead() {
		// A replay after a restart reads a minute of ends in a moment, here one written
		// every 100 ms: only the 20 written within the last two seconds are the rate now.
		for (int i = 0; i < 600; i++) {
			UUID order = UUID.randomUUID();
			this.pending.placed(order, NOW.minusSeconds(25), NOW);
			this.pending.ended(order, NOW.minusMillis(100 * i), NOW);
		}
		this.pending.prune(NOW);
		assertThat(this.pending.endedPerSecond()).isEqualTo(10.0);
	}

	@Test
	void anEndStampedAheadOfThisClockCountsAsNow() {
		UUID order = UUID.randomUUID();
		this.pending.placed(order, NOW, NOW);
		this.pending.ended(order, NOW.plusSeconds(60), NOW);

		this.pending.prune(NOW);
		assertThat(this.pending.endedPerSecond()).isEqualTo(0.5);
		this.pending.prune(NOW.plusSeconds(2));
		assertThat(this.pending.endedPerSecond()).isZero();
	}

}
