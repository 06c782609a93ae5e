package io.ordersaga.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Runs a command to its end and hands back what it printed. */
public final class Commands {

	private Commands() {
	}

	/**
	 * Runs a command, its error output merged into its output.
	 * @param command the command, with its directory and environment set
	 * @param timeout how long it may take
	 * @return what it printed
	 * @throws IllegalStateException if it fails, with what it printed
	 */
	public static String output(ProcessBuilder command, Duration timeout) {
		try {
			Process process = command.redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command.command()) + " failed:\n" + output);
			}
			return output;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
