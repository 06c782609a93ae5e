package io.ordersaga.support.streams;

import java.time.Duration;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReplaceThreadAfterBackOffTests {

	@Test
	void doublesThePauseWithEachFailureInARowUpToTheLongest() {
		ReplaceThreadAfterBackOff handler = new ReplaceThreadAfterBackOff(Duration.ofSeconds(1),
				Duration.ofSeconds(30));

		assertThat(IntStream.range(0, 8).mapToObj((failure) -> handler.nextPause().toSeconds())).containsExactly(1L, 2L,
				4L, 8L, 16L, 30L, 30L, 30L);
	}

	@Test
	void startsAfreshAfterAQuietSpell() {
		ReplaceThreadAfterBackOff handler = new ReplaceThreadAfterBackOff(Duration.ofMillis(1), Duration.ofMillis(2));
		handler.nextPause();
		handler.nextPause();
		long quietSince = System.nanoTime();
		while (System.nanoTime() - quietSince < Duration.ofMillis(5).toNanos()) {
			Thread.onSpinWait();
		}

		assertThat(handler.nextPause()).isEqualTo(Duration.ofMillis(1));
	}

	@Test
	void saysWhenThreadsFailAgainAndAgainUntilAQuietSpell() {
		ReplaceThreadAfterBackOff handler = new ReplaceThreadAfterBackOff(Duration.ofMillis(1), Duration.ofMillis(2));
		handler.nextPause();
		assertThat(handler.isFailingRepeatedly()).isFalse();
		handler.nextPause();
		assertThat(handler.isFailingRepeatedly()).isTrue();
		long quietSince = System.nanoTime();
		while (System.nanoTime() - quietSince < Duration.ofMillis(5).toNanos()) {
			Thread.onSpinWait();
		}

		assertThat(handler.isFailingRepeatedly()).isFalse();
	}

}
