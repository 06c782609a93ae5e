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

		this.pending.ended(first);
		this.pending.ended(UUID.randomUUID());
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

}
