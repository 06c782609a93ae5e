package io.ordersaga.runner;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** Signals to the suite's processes, as {@code kill -SIGNAL pid} sends them. */
final class Signals {

	private Signals() {
	}

	/**
	 * Sends a signal and checks that it was delivered.
	 * @param process the process
	 * @param signal its name without {@code SIG}: {@code STOP}, {@code CONT},
	 * {@code KILL}
	 */
	static void send(ProcessHandle process, String signal) throws IOException, InterruptedException {
		System.out.println("kill -" + signal + " " + process.pid());
		assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor()).isZero();
	}

}
