package io.ordersaga.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Waits until the machine's processors are mostly idle. A service restarted to time its
 * start-up "on its own" must not share the cores with a suite that has just started: for
 * the first seconds after {@code ./run} is ready the services and the broker keep both
 * cores busy (JIT compilation, rebalancing, the demo accounts), then settle at about a
 * tenth of the machine.
 */
final class QuietMachine {

	/** Busy and total processor time since boot, in any unit, over all processors. */
	record Times(long busy, long total) {
	}

	private final Supplier<Optional<Times>> times;

	private final Consumer<Duration> pause;

	QuietMachine(Supplier<Optional<Times>> times, Consumer<Duration> pause) {
		this.times = times;
		this.pause = pause;
	}

	/**
	 * The machine as Linux counts it in {@code /proc/stat}; elsewhere it is always quiet.
	 */
	static QuietMachine local() {
		return new QuietMachine(QuietMachine::procStat, QuietMachine::sleep);
	}

	/**
	 * Waits until one window of time finds the processors busy for no more than a share
	 * of it.
	 * @param busiest the largest busy share of all processors that counts as quiet
	 * @param window how long each measurement lasts
	 * @param windows how many windows to measure at most
	 * @return whether the machine went quiet (always {@code true} where it cannot be
	 * measured)
	 */
	boolean await(double busiest, Duration window, int windows) {
		Optional<Times> before = this.times.get();
		for (int i = 0; i < windows; i++) {
			if (before.isEmpty()) {
				return true;
			}
			this.pause.accept(window);
			Optional<Times> after = this.times.get();
			if (after.isPresent() && isQuiet(before.get(), after.get(), busiest)) {
				return true;
			}
			before = after;
		}
		return before.isEmpty();
	}

	private static boolean isQuiet(Times before, Times after, double busiest) {
		long total = after.total() - before.total();
		return total > 0 && (double) (after.busy() - before.busy()) / total <= busiest;
	}

	/** The first line of {@code /proc/stat}: user, nice, system, idle, iowait, ... */
	static Optional<Times> procStat() {
		try {
			String[] fields = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
			long total = 0;
			long idle = 0;
			for (int i = 1; i < Math.min(fields.length, 9); i++) {
				long value = Long.parseLong(fields[i]);
				total += value;
				if (i == 4 || i == 5) {
					idle += value;
				}
			}
			return Optional.of(new Times(total - idle, total));
		}
		catch (IOException | RuntimeException ex) {
			return Optional.empty();
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the machine to go quiet", ex);
		}
	}

}
