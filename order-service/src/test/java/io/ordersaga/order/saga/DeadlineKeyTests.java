package io.ordersaga.order.saga;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeadlineKeyTests {

	private final String orderId = UUID.randomUUID().toString();

	@Test
	void keysAreTheOnesStoresWereWrittenWithSoOldDeadlinesAreStillFound() {
		for (long millis : List.of(0L, 7L, 1_764_584_130_123L, 999_999_999_999_999L)) {
			assertThat(OrderSagaProcessor.deadlineKey(Instant.ofEpochMilli(millis), this.orderId))
				.isEqualTo(String.format("%015d:%s", millis, this.orderId));
		}
	}

	@Test
	void keysSortByDeadline() {
		String sooner = OrderSagaProcessor.deadlineKey(Instant.parse("2026-12-01T10:00:00Z"), "f");
		String later = OrderSagaProcessor.deadlineKey(Instant.parse("2026-12-01T10:00:00.001Z"), "0");

		assertThat(sooner).isLessThan(later);
		assertThat(OrderSagaProcessor.deadlineKey(Instant.ofEpochMilli(99), "")).isLessThan(sooner);
	}

}
