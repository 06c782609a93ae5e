package io.ordersaga.runner;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The suite started the way a user starts it, for the end-to-end test and the benchmark:
 * the repository's {@code ./run} script in its own process, with the built jars, on free
 * ports. Everything it prints is kept, and also copied to a file next to its data.
 */
public final class RunScript implements AutoCloseable {

	public static final Duration START_TIMEOUT = Duration.ofMinutes(4);

	private static final int FIRST_PORT = 20_000;

	private static final int LAST_PORT = 32_000;

	private static final Set<Integer> HANDED_OUT = new HashSet<>();

	private final Path home;

	private final Process process;

	private final List<String> output = new CopyOnWriteArrayList<>();

	private final Map<String, String> environment;

	private final Thread reader;

	private final SuiteRunner.Options options;

	private RunScript(Path home, Process process, Map<String, String> environment, SuiteRunner.Options options,
			Path transcript) {
		this.home = home;
		this.options = options;
		this.process = process;
		this.environment = environment;
		this.reader = Thread.ofPlatform().daemon().name("run-output").start(() -> copyOutput(transcript));
	}

	/**
	 * Runs {@code ./run --clean} on free ports, with its data in a directory of the
	 * caller's.
	 * @param home the repository
	 * @param dataDir where the suite keeps its data and logs
	 * @param settings more environment variables for the run and its services, such as
	 * {@code PAYMENT_TIMEOUT}
	 * @param options more options of {@code ./run}, such as {@code --no-tail}
	 * @return the running command, once it printed its ready line
	 */
	public static RunScript start(Path home, Path dataDir, Map<String, String> settings, String... options) {
		Map<String, String> environment = new HashMap<>(settings);
		SuiteRunner.Options parsed = SuiteRunner.Options.parse(options);
		// Node n of a cluster listens on both ports plus 2(n - 1).
		int kafkaPort = freePorts(2 * parsed.brokers(), 1);
		environment.putAll(Map.of("RUN_DATA_DIR", dataDir.toString(), "KAFKA_PORT", String.valueOf(kafkaPort),
				"KAFKA_CONTROLLER_PORT", String.valueOf(kafkaPort + 1)));
		// Instance n of a service listens on its ports plus 100(n - 1).
		for (String service : List.of("order-service", "payment-service", "notification-service", SuiteRunner.ISSUER)) {
			environment.put(SuiteRunner.Settings.portVariable(service),
					String.valueOf(freePorts(parsed.instances(), ServiceInstance.PORT_STEP)));
			environment.put(SuiteRunner.Settings.managementPortVariable(service),
					String.valueOf(freePorts(parsed.instances(), ServiceInstance.PORT_STEP)));
		}
		environment.put("PROMETHEUS_PORT", String.valueOf(freePorts(1)));
		List<String> arguments = new ArrayList<>(List.of("--clean"));
		arguments.addAll(List.of(options));
		return launch(home, environment, arguments.toArray(String[]::new));
	}

	/**
	 * Runs {@code ./run} again, after this one stopped, on the same data and ports.
	 * @return the running command, once it printed its ready line
	 */
	public RunScript startAgain() {
		return startAgain(this.options.instances());
	}

	/**
	 * Runs {@code ./run} again, after this one stopped, on the same data and ports, with
	 * another number of instances of each service.
	 * @param instances how many instances of each service
	 * @return the running command, once it printed its ready line
	 */
	public RunScript startAgain(int instances) {
		List<String> arguments = new ArrayList<>(
				List.of("--brokers", String.valueOf(this.options.brokers()), "--instances", String.valueOf(instances)));
		if (this.options.secure()) {
			arguments.add("--secure");
		}
		if (this.options.prometheus()) {
			arguments.add("--prometheus");
		}
		return launch(this.home, this.environment, arguments.toArray(String[]::new));
	}

	/**
	 * How a client of the operator's connects to this run's Kafka: the bootstrap servers,
	 * and in secure mode the admin's credentials.
	 * @return the client's settings
	 */
	public Map<String, Object> kafkaClientProperties() {
		Map<String, Object> client = new HashMap<>(Map.of("bootstrap.servers", bootstrapServers()));
		if (this.options.secure()) {
			client.putAll(secrets().clientProperties(KafkaSecrets.ADMIN));
		}
		return client;
	}

	/**
	 * In secure mode, tokens from the suite's issuer for its users.
	 * @return the tokens of this run's issuer
	 */
	public IssuerTokens tokens() {
		return new IssuerTokens(issuer(), secrets());
	}

	/**
	 * Whether this run is in secure mode.
	 * @return whether it was started with {@code --secure}
	 */
	public boolean secure() {
		return this.options.secure();
	}

	/**
	 * In secure mode, the suite's issuer.
	 * @return its base URL
	 */
	public String issuer() {
		return "http://localhost:" + this.environment.get(SuiteRunner.Settings.portVariable(SuiteRunner.ISSUER));
	}

	/**
	 * The secrets this run made in secure mode, under its data directory.
	 * @return the secrets
	 */
	public KafkaSecrets secrets() {
		return KafkaSecrets.existing(Path.of(this.environment.get("RUN_DATA_DIR")).resolve("secrets"));
	}

	/**
	 * Runs another of the repository's commands against this suite.
	 * @param script the command, such as {@code demo}
	 * @param arguments its arguments
	 * @return what it printed
	 */
	public String runScript(String script, String... arguments) {
		List<String> command = new ArrayList<>(List.of(this.home.resolve(script).toString()));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).directory(this.home.toFile());
		builder.environment().putAll(this.environment);
		return Commands.output(builder, Duration.ofMinutes(2));
	}

	private static RunScript launch(Path home, Map<String, String> environment, String... arguments) {
		Path dataDir = Path.of(environment.get("RUN_DATA_DIR"));
		List<String> command = new ArrayList<>(List.of(home.resolve("run").toString()));
		command.addAll(List.of(arguments));
		try {
			Files.createDirectories(dataDir);
			ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
			builder.environment().putAll(environment);
			RunScript run = new RunScript(home, builder.start(), environment, SuiteRunner.Options.parse(arguments),
					dataDir.resolveSibling(dataDir.getFileName() + "-run-" + System.nanoTime() + ".txt"));
			run.awaitLine((line) -> line.startsWith("Order saga ready"), START_TIMEOUT);
			return run;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public String orderService() {
		return "http://localhost:" + this.environment.get("ORDER_SERVICE_PORT");
	}

	/**
	 * Every instance of order-service.
	 * @return their base URLs, the first instance's first
	 */
	public List<String> orderServices() {
		int first = Integer.parseInt(this.environment.get("ORDER_SERVICE_PORT"));
		return IntStream.rangeClosed(1, this.options.instances())
			.mapToObj((number) -> "http://localhost:" + new ServiceInstance("order-service", number).port(first))
			.toList();
	}

	public String paymentService() {
		return "http://localhost:" + this.environment.get("PAYMENT_SERVICE_PORT");
	}

	public String notificationService() {
		return "http://localhost:" + this.environment.get("NOTIFICATION_SERVICE_PORT");
	}

	/**
	 * Where a service's Actuator answers: health with its details, metrics.
	 * @param service the service's name, such as {@code order-service}
	 * @return its base URL, on this machine's loopback address
	 */
	public String managementUrl(String service) {
		return managementUrl(ServiceInstance.first(service));
	}

	/**
	 * Where an instance of a service has its Actuator.
	 * @param instance the instance
	 * @return its base URL, on this machine's loopback address
	 */
	public String managementUrl(ServiceInstance instance) {
		return "http://127.0.0.1:" + instance.port(Integer
			.parseInt(this.environment.get(SuiteRunner.Settings.managementPortVariable(instance.service()))));
	}

	/**
	 * Where the Prometheus of {@code --prometheus} answers.
	 * @return its base URL
	 */
	public String prometheusUrl() {
		if (!this.options.prometheus()) {
			throw new IllegalStateException("This run was started without --prometheus");
		}
		return "http://127.0.0.1:" + this.environment.get("PROMETHEUS_PORT");
	}

	/**
	 * Where the suite keeps its data, and its logs under {@code logs/}.
	 * @return the data directory
	 */
	public Path dataDir() {
		return Path.of(this.environment.get("RUN_DATA_DIR"));
	}

	/**
	 * The address of every Kafka node.
	 * @return {@code localhost:<port>,...}
	 */
	public String bootstrapServers() {
		return LocalKafkaCluster.bootstrapServers(this.options.brokers(),
				Integer.parseInt(this.environment.get("KAFKA_PORT")));
	}

	/**
	 * The process of a Kafka node the command started.
	 * @param id the node's id, from 1
	 * @return its process, found among the command's children by its configuration
	 */
	public ProcessHandle kafkaProcess(int id) {
		// Its logging configuration, in the node's directory, comes before the class
		// path,
		// which the command line as the JDK reads it may cut short.
		String config = "/" + LocalKafkaCluster.nodeDir(dataDir(), this.options.brokers(), id).getFileName()
				+ "/log4j2.properties";
		return this.process.descendants()
			.filter((child) -> child.isAlive() && child.info().commandLine().orElse("").contains(config))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No running process of Kafka node " + id));
	}

	/**
	 * Where a Kafka node of a cluster keeps its partition data.
	 * @param id the node's id, from 1
	 * @return its log directory
	 */
	public Path kafkaLogDir(int id) {
		return LocalKafkaCluster.nodeDir(dataDir(), this.options.brokers(), id).resolve("log");
	}

	public Process process() {
		return this.process;
	}

	/** Everything printed so far, one entry per line. */
	public List<String> output() {
		return List.copyOf(this.output);
	}

	/**
	 * Waits for a line of output.
	 * @param matching what the line looks like
	 * @param timeout how long to wait
	 * @return the first such line
	 */
	public String awaitLine(Predicate<String> matching, Duration timeout) {
		return awaitNewLine(0, matching, timeout);
	}

	/**
	 * Waits for a line of output printed after the lines already seen.
	 * @param seen how many lines were printed before (the size of {@link #output()})
	 * @param matching what the line looks like
	 * @param timeout how long to wait
	 * @return the first such line
	 */
	public String awaitNewLine(int seen, Predicate<String> matching, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (newLines(seen).noneMatch(matching) && this.process.isAlive() && System.nanoTime() < deadline) {
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}
		return newLines(seen).filter(matching)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("./run did not print the expected line within " + timeout
					+ " (alive: " + this.process.isAlive() + "); it printed:\n" + String.join("\n", this.output)));
	}

	private Stream<String> newLines(int seen) {
		List<String> lines = List.copyOf(this.output);
		return lines.subList(Math.min(seen, lines.size()), lines.size()).stream();
	}

	/**
	 * The process of an instance of a service the command started, as its latest start
	 * named it.
	 * @param instance the instance's name, such as {@code order-service} or
	 * {@code order-service-2}
	 * @return its running process
	 */
	public ProcessHandle serviceProcess(String instance) {
		Pattern started = Pattern.compile("Starting " + Pattern.quote(instance) + " on port \\d+ \\(pid (\\d+)\\).*");
		return output().reversed()
			.stream()
			.map(started::matcher)
			.filter(Matcher::matches)
			.findFirst()
			.flatMap((line) -> ProcessHandle.of(Long.parseLong(line.group(1))))
			.filter(ProcessHandle::isAlive)
			.orElseThrow(() -> new IllegalStateException("No running process of " + instance));
	}

	/** Stops the command as Ctrl-C or SIGTERM does and waits until it has ended. */
	@Override
	public void close() {
		// SIGTERM through the handle: Process.destroy() would also close our end of the
		// output pipe and lose what the command prints while it stops.
		this.process.toHandle().destroy();
		try {
			if (!this.process.waitFor(2, TimeUnit.MINUTES)) {
				this.process.descendants().forEach(ProcessHandle::destroyForcibly);
				this.process.destroyForcibly();
			}
			// Everything it printed before it ended, to the last line.
			this.reader.join(Duration.ofSeconds(10));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void copyOutput(Path transcript) {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
				var writer = Files.newBufferedWriter(transcript)) {
			String line;
			while ((line = reader.readLine()) != null) {
				this.output.add(line);
				writer.write(line);
				writer.newLine();
				writer.flush();
			}
		}
		catch (IOException ex) {
			// the process ended
		}
	}

	/**
	 * Consecutive ports that are free now and never handed out before in this JVM.
	 * @param count how many
	 * @return the first of them
	 * @see #freePorts(int, int)
	 */
	public static int freePorts(int count) {
		return freePorts(count, 1);
	}

	/**
	 * Ports that are free now, a fixed step apart: consecutive ones for a Kafka cluster's
	 * nodes (node {@code n} uses the first port plus {@code 2(n-1)} and the next one), or
	 * a service's instances' ({@link ServiceInstance#port}); and never handed out before
	 * in this JVM. They are below Linux's range of ephemeral ports (32768 and up), from
	 * which the system picks the local port of every outgoing connection: a port found
	 * free there (as {@code new ServerSocket(0)} finds one) was taken by a Kafka client's
	 * connection before the service meant to listen on it had started.
	 * @param count how many
	 * @param step how far apart
	 * @return the first of them
	 */
	public static synchronized int freePorts(int count, int step) {
		for (int attempt = 0; attempt < 1000; attempt++) {
			int first = ThreadLocalRandom.current().nextInt(FIRST_PORT, LAST_PORT - count * step);
			List<Integer> ports = IntStream.range(0, count).mapToObj((i) -> first + i * step).toList();
			if (ports.stream().allMatch((port) -> !HANDED_OUT.contains(port) && isFree(port))) {
				HANDED_OUT.addAll(ports);
				return first;
			}
		}
		throw new IllegalStateException("No " + count + " free ports " + step + " apart found");
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
