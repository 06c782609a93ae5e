package io.ordersaga.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import io.ordersaga.load.QuietMachine.Times;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/** Waiting for a quiet machine, on processor times given one window after the other. */
class QuietMachineTests {

	private static final Duration SECOND = Duration.ofSeconds(1);

	private final List<Duration> pauses = new ArrayList<>();

	@Test
	void waitsWhileTheProcessorsAreBusyAndGoesOnOnceTheySettle() {
		// Busy share per window: 100%, 60%, 15%, then never asked.
		QuietMachine machine = machine(new Times(0, 0), new Times(200, 200), new Times(320, 400), new Times(350, 600),
				new Times(550, 800));

		assertThat(machine.await(0.2, SECOND, 10)).isTrue();
		assertThat(this.pauses).containsExactly(SECOND, SECOND, SECOND);
	}

	@Test
	void givesUpAfterTheLastWindowWhenTheMachineStaysBusy() {
		QuietMachine machine = machine(new Times(0, 0), new Times(150, 200), new Times(300, 400), new Times(450, 600));

		assertThat(machine.await(0.2, SECOND, 3)).isFalse();
		assertThat(this.pauses).hasSize(3);
	}

	@Test
	void aMachineThatCannotBeMeasuredCountsAsQuiet() {
		QuietMachine machine = new QuietMachine(Optional::empty, this.pauses::add);

		assertThat(machine.await(0.2, SECOND, 10)).isTrue();
		assertThat(this.pauses).isEmpty();
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void readsTheProcessorTimesOfLinux() {
		assertThat(QuietMachine.procStat()).hasValueSatisfying((times) -> {
			assertThat(times.busy()).isPositive();
			assertThat(times.total()).isGreaterThan(times.busy());
		});
	}

	private QuietMachine machine(Times... samples) {
		Iterator<Times> times = List.of(samples).iterator();
		return new QuietMachine(() -> Optional.of(times.next()), this.pauses::add);
	}

}
