package io.ordersaga.runner;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One service of the suite in its own JVM, started from its Spring Boot jar with the
 * environment a container would give it, and ready once its health endpoint says UP.
 */
public final class ServiceProcess implements AutoCloseable {

	/** How a start says that it records start-up caches first, which takes a while. */
	public static final String RECORDING = "Recording an ahead-of-time cache";

	/**
	 * The heap of each service in MB, where it is not {@link #DEFAULT_HEAP_MB}.
	 * order-service also serves the HTTP requests and keeps a read model of the orders:
	 * in a 96 MB heap it collected its old generation about three times as often at
	 * saturation as in 128 MB (22 times against 6 to 8).
	 */
	private static final Map<String, Integer> HEAP_MB = Map.of("order-service", 128);

	/**
	 * The heap of the other services in MB. Every service keeps its state in RocksDB, its
	 * read models too, and payment-service and notification-service hold about 35 MB
	 * after a collection at saturation; a larger heap only lets garbage pile up under a
	 * backlog, and resident memory with it.
	 */
	private static final int DEFAULT_HEAP_MB = 96;

	/**
	 * The JVM options of a service, the same for recording its ahead-of-time cache as for
	 * running with it: a small heap that starts smaller still, and the serial collector:
	 * the suite shares two cores with its broker. Without {@code -Xms} the heap starts at
	 * its maximum on any machine with more than 16 GB, and stays there. Then those of
	 * {@code RUN_JVM_OPTIONS} ({@link RunJvmOptions}).
	 * @param service the service's name
	 * @return the options for the JDK that runs the suite
	 */
	static List<String> jvmOptions(String service) {
		List<String> options = new ArrayList<>(jvmOptions(service, Runtime.version().feature()));
		options.addAll(RunJvmOptions.current());
		return List.copyOf(options);
	}

	/**
	 * The options of a service for a JDK of a feature release. From JDK 22 on, the JVM
	 * also hands the memory that glibc keeps after a free (the JIT compilers' arenas,
	 * mostly) back to the system every 5 s: after a saturation run that was 15 to 30 MB
	 * of each service's resident memory. Older JDKs know the option only from some update
	 * on, and a JVM refuses to start with an option it does not know.
	 * @param service the service's name
	 * @param feature the JDK's feature release, such as 25
	 * @return the options
	 */
	static List<String> jvmOptions(String service, int feature) {
		int heap = HEAP_MB.getOrDefault(service, DEFAULT_HEAP_MB);
		List<String> options = new ArrayList<>(List.of("-Xms64m", "-Xmx" + heap + "m", "-XX:+UseSerialGC"));
		if (feature >= 22) {
			options.add("-XX:TrimNativeHeapInterval=5000");
		}
		return List.copyOf(options);
	}

	/**
	 * glibc gives each thread that allocates natively (RocksDB, the Kafka clients'
	 * compression) an arena of its own, up to eight per core, and seldom returns their
	 * memory; two are enough here.
	 */
	private static final Map<String, String> NATIVE_MEMORY = Map.of("MALLOC_ARENA_MAX", "2");

	private final String name;

	private final Process process;

	private final int port;

	private final int managementPort;

	private final Path log;

	private ServiceProcess(String name, Process process, int port, int managementPort, Path log) {
		this.name = name;
		this.process = process;
		this.port = port;
		this.managementPort = managementPort;
		this.log = log;
	}

	/**
	 * Starts an instance of a service.
	 * @param instance the service and which instance of it: its name, for messages, and
	 * its heap
	 * @param jar the service's executable jar
	 * @param port the HTTP port of its API
	 * @param managementPort the HTTP port of its Actuator, on this machine's loopback
	 * address unless the environment says otherwise
	 * @param environment the environment variables to add
	 * @param log the file its output goes to
	 * @return the started (not yet ready) service
	 */
	public static ServiceProcess start(ServiceInstance instance, Path jar, int port, int managementPort,
			Map<String, String> environment, Path log) {
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(jar + " does not exist; build it first with ./mvnw package -DskipTests");
		}
		try {
			Files.createDirectories(log.getParent());
			List<String> command = new ArrayList<>();
			command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
			List<String> options = jvmOptions(instance.service());
			command.addAll(options);
			command.addAll(AotCache.launch(jar, options, log));
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
			builder.environment().putAll(NATIVE_MEMORY);
			builder.environment().putAll(environment);
			builder.environment().put("SERVER_PORT", String.valueOf(port));
			builder.environment().put("MANAGEMENT_SERVER_PORT", String.valueOf(managementPort));
			return new ServiceProcess(instance.name(), builder.start(), port, managementPort, log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Gets services ready to start fast: where the JDK can (25 and newer), records the
	 * ahead-of-time cache that a build of a service lacks, all of them side by side. A
	 * start does this itself otherwise, one service after the other.
	 * @param services the services' names
	 * @param jar each service's jar
	 * @param log the log each service's recording writes to
	 * @param out where to say that it records, which takes a while
	 */
	public static void prepare(List<String> services, Function<String, Path> jar, Function<String, Path> log,
			PrintStream out) {
		List<String> missing = services.stream().filter((service) -> AotCache.missing(jar.apply(service))).toList();
		if (missing.isEmpty()) {
			return;
		}
		out.println(
				RECORDING + " for " + missing.size() + " service(s), once per build, so that they start faster ...");
		List<Thread> recordings = new ArrayList<>();
		for (String service : missing) {
			recordings.add(Thread.ofPlatform()
				.name("aot-" + service)
				.start(() -> AotCache.launch(jar.apply(service), jvmOptions(service), log.apply(service))));
		}
		try {
			for (Thread recording : recordings) {
				recording.join();
			}
		}
		catch (InterruptedException ex) {
			// Stops the training runs (see AotCache) rather than leave them running.
			recordings.forEach(Thread::interrupt);
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Waits until the service reports itself healthy.
	 * @param timeout how long to wait
	 * @return this service
	 */
	public ServiceProcess awaitHealthy(Duration timeout) {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
		HttpRequest health = HttpRequest.newBuilder(URI.create(managementUrl() + "/actuator/health"))
			.timeout(Duration.ofSeconds(2))
			.build();
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " stopped while starting (exit code "
						+ this.process.exitValue() + "); see " + this.log);
			}
			try {
				HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					return this;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			sleep(Duration.ofMillis(200));
		}
		throw new IllegalStateException(this.name + " was not healthy within " + timeout + "; see " + this.log);
	}

	/**
	 * The instance's name.
	 * @return the name, such as {@code order-service} or {@code order-service-2}
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The service's base URL.
	 * @return {@code http://localhost:<port>}
	 */
	public String url() {
		return "http://localhost:" + this.port;
	}

	/**
	 * Where the service's Actuator answers: health with its details, metrics.
	 * @return {@code http://127.0.0.1:<management port>}
	 */
	public String managementUrl() {
		return "http://127.0.0.1:" + this.managementPort;
	}

	/**
	 * The service's process, for tests that kill it the hard way.
	 * @return the process
	 */
	public Process process() {
		return this.process;
	}

	/** Stops the service as SIGTERM does, forcibly if it takes more than 30 seconds. */
	@Override
	public void close() {
		ChildProcesses.stop(this.process);
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
