package io.ordersaga.order.saga;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PaymentSilenceTests {

	private final PaymentSilence silence = new PaymentSilence(Duration.ofSeconds(10), Duration.ofSeconds(1), 0);

	@Test
	void isSilentOnceNothingWasHeardForTheSilencePeriodWhileTheTaskRan() {
		for (long second = 1; second < 10; second++) {
			assertThat(this.silence.silent(second * 1000)).isFalse();
		}
		assertThat(this.silence.silent(10_000)).isTrue();
	}

	@Test
	void anEventHeardStartsTheSilenceAgain() {
		for (long second = 1; second <= 9; second++) {
			this.silence.silent(second * 1000);
		}
		this.silence.heard(9_500);
		for (long second = 10; second <= 18; second++) {
			assertThat(this.silence.silent(second * 1000)).isFalse();
		}
		assertThat(this.silence.silent(19_500)).isTrue();
		assertThat(this.silence.sinceHeard(19_500)).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void aStandstillOfTheTaskIsLeftOutOfTheSilence() {
		this.silence.silent(1_000);
		this.silence.heard(1_000);
		// The next check comes 60 s later: the task stood still for 59 s of them.
		assertThat(this.silence.silent(61_000)).isFalse();
		assertThat(this.silence.sinceHeard(61_000)).isEqualTo(Duration.ofSeconds(1));
		for (long second = 62; second < 70; second++) {
			assertThat(this.silence.silent(second * 1000)).isFalse();
		}
		assertThat(this.silence.silent(70_000)).isTrue();
	}

	@Test
	void aCheckALittleLateIsNoStandstill() {
		this.silence.silent(1_000);
		assertThat(this.silence.silent(2_900)).isFalse();
		assertThat(this.silence.sinceHeard(2_900)).isEqualTo(Duration.ofMillis(2_900));
	}

}
