package io.ordersaga.runner;

import java.util.concurrent.TimeUnit;

/** How the runner stops the processes it started. */
final class ChildProcesses {

	private ChildProcesses() {
	}

	/**
	 * Stops a process as SIGTERM does, so it can shut down cleanly, and forcibly if it
	 * has not stopped after 30 seconds.
	 * @param process the process
	 */
	static void stop(Process process) {
		process.destroy();
		try {
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
		}
	}

}
