package io.ordersaga.load;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.ordersaga.runner.RunScript;
import io.ordersaga.runner.ServiceProcess;

/**
 * The suite as the benchmark needs it: started with the repository's {@code ./run}, and
 * asked for its services' processes, memory and start-up times.
 */
final class LaunchedSuite implements AutoCloseable {

	static final List<String> SERVICES = List.of("order-service", "payment-service", "notification-service");

	private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

	private static final Pattern STARTED = Pattern
		.compile("Started \\S+ in ([0-9.]+) seconds \\(process running for ([0-9.]+)\\)");

	private final RunScript run;

	private final double readySeconds;

	private LaunchedSuite(RunScript run, double readySeconds) {
		this.run = run;
		this.readySeconds = readySeconds;
	}

	static LaunchedSuite start(Path home, Path dataDir, PrintStream progress) {
		return start(home, dataDir, Map.of(), progress);
	}

	static LaunchedSuite start(Path home, Path dataDir, Map<String, String> settings, PrintStream progress) {
		return start(home, dataDir, settings, false, progress);
	}

	/**
	 * Starts the suite with {@code ./run}, in the open mode or in secure mode.
	 * @param home the repository
	 * @param dataDir the suite's data directory
	 * @param settings environment variables the suite is started with
	 * @param secure whether to start it with {@code --secure}
	 * @param progress where its progress goes
	 * @return the running suite
	 */
	static LaunchedSuite start(Path home, Path dataDir, Map<String, String> settings, boolean secure,
			PrintStream progress) {
		String[] arguments = secure ? new String[] { "--no-tail", "--secure" } : new String[] { "--no-tail" };
		long start = System.nanoTime();
		RunScript run = RunScript.start(home, dataDir, settings, arguments);
		if (run.output().stream().anyMatch((line) -> line.startsWith(ServiceProcess.RECORDING))) {
			// The first start after a build records the services' start-up caches; the
			// figure is of a start that has them.
			progress.printf("Suite ready in %.1f s, recording the services' start-up caches first; again ...%n",
					(System.nanoTime() - start) / 1e9);
			run.close();
			start = System.nanoTime();
			run = RunScript.start(home, dataDir, settings, arguments);
		}
		double ready = (System.nanoTime() - start) / 1e9;
		progress.printf("Suite ready in %.1f s%n", ready);
		return new LaunchedSuite(run, ready);
	}

	LoadPlan.Target target() {
		return new LoadPlan.Target(this.run.orderServices(), this.run.paymentService(), this.run.bootstrapServers(),
				SecureAccess.of(this.run));
	}

	/** From {@code ./run} to its ready line: the whole stack's start-up. */
	double readySeconds() {
		return this.readySeconds;
	}

	/** Where the suite keeps its data: the broker's and each service's state. */
	Path dataDir() {
		return this.run.dataDir();
	}

	/** Where a service's Actuator answers. */
	String managementUrl(String name) {
		return this.run.managementUrl(name);
	}

	ProcessHandle service(String name) {
		return this.run.serviceProcess(name);
	}

	/**
	 * How long a service took to start each time, as Spring Boot logged it (the JVM's
	 * start included), oldest first.
	 * @param name the service
	 * @return seconds from the process's start to a started application
	 */
	List<Double> startupSeconds(String name) {
		List<Double> seconds = new ArrayList<>();
		try {
			Matcher started = STARTED
				.matcher(Files.readString(this.run.dataDir().resolve("logs").resolve(name + ".log")));
			while (started.find()) {
				seconds.add(Double.parseDouble(started.group(2)));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return seconds;
	}

	/**
	 * Stops a service as a platform would and waits until the run command has started it
	 * again, the rest of the suite running: its start-up on its own.
	 * @param name the service
	 */
	void restart(String name) {
		long before = backLines(name);
		service(name).destroy();
		this.run.awaitLine((line) -> line.startsWith(name + " is back") && backLines(name) > before, START_TIMEOUT);
	}

	private long backLines(String name) {
		return this.run.output().stream().filter((line) -> line.startsWith(name + " is back")).count();
	}

	/**
	 * The resident memory of a service now and at its peak.
	 * @param name the service
	 * @return {@code VmRSS} and {@code VmHWM} in MiB, from {@code /proc} (Linux)
	 */
	Map<String, Long> memoryMiB(String name) {
		Map<String, Long> memory = new LinkedHashMap<>();
		try {
			for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(service(name).pid()), "status"))) {
				if (line.startsWith("VmRSS:") || line.startsWith("VmHWM:")) {
					String[] parts = line.split("\\s+");
					memory.put(parts[0].replace(":", ""), Long.parseLong(parts[1]) / 1024);
				}
			}
		}
		catch (IOException ex) {
			// not Linux: no figures
		}
		return memory;
	}

	@Override
	public void close() {
		this.run.close();
	}

}
