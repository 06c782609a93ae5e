package io.ordersaga.runner;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
				kill(process);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			kill(process);
		}
	}

	/**
	 * Stops every process that a process has started, and theirs: as SIGTERM does, then
	 * forcibly for those still running after 30 seconds.
	 * @param parent the process whose descendants to stop
	 */
	static void stopAll(ProcessHandle parent) {
		List<ProcessHandle> descendants = parent.descendants().toList();
		descendants.forEach(ProcessHandle::destroy);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		try {
			for (ProcessHandle process : descendants) {
				process.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
		}
		catch (ExecutionException | TimeoutException ex) {
			// Some are still running: they are stopped below.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		// Also those started since, by a process that was stopping.
		parent.descendants().forEach(ProcessHandle::destroyForcibly);
	}

	/**
	 * Stops a process and every process it started at once, as SIGKILL does, so that none
	 * is left behind.
	 * @param process the process
	 */
	static void kill(Process process) {
		process.descendants().forEach(ProcessHandle::destroyForcibly);
		process.destroyForcibly();
		try {
			process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
