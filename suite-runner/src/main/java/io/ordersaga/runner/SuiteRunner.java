package io.ordersaga.runner;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import io.ordersaga.events.Replication;
import io.ordersaga.events.TopicCatalogue;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.jspecify.annotations.Nullable;

/**
 * The whole suite on one machine without Docker: a Kafka broker from the Kafka jars, the
 * topic catalogue, and payment-service, order-service and notification-service as
 * separate processes, each started once what it needs is healthy. A service that dies
 * while the suite runs (a crash, {@code kill -9}) is started again, as a container
 * platform would restart it.
 */
public final class SuiteRunner implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

	/** The services in the order they are started; they are stopped the other way. */
	private static final List<String> SERVICES = List.of("payment-service", "order-service", "notification-service");

	private final Settings settings;

	private final PrintStream out;

	private final Map<String, ServiceProcess> services = new ConcurrentHashMap<>();

	private volatile boolean stopping;

	private final int brokers;

	private @Nullable LocalKafkaCluster kafka;

	/** Records the services' start-up caches while the broker starts. */
	private volatile @Nullable Thread preparing;

	private SuiteRunner(Settings settings, int brokers, PrintStream out) {
		this.brokers = brokers;
		this.settings = settings;
		this.out = out;
	}

	/**
	 * Starts everything, in order, and returns once every service is healthy.
	 * @param settings where and on which ports
	 * @param out where progress is reported
	 * @return the running suite; close it to stop everything it started
	 */
	public static SuiteRunner start(Settings settings, PrintStream out) {
		checkPortsAreFree(settings, 1);
		SuiteRunner suite = new SuiteRunner(settings, 1, out);
		suite.startAll();
		return suite;
	}

	private void startAll() {
		if (this.settings.clean()) {
			deleteRecursively(this.settings.dataDir());
		}
		// While the broker starts, the services' start-up caches are recorded if this
		// build has none yet.
		Thread preparing = Thread.ofPlatform()
			.name("prepare-services")
			.start(() -> ServiceProcess.prepare(SERVICES, this.settings::jar, this.settings::log, this.out));
		this.preparing = preparing;
		try {
			this.out.println(((this.brokers == 1) ? "Starting Kafka on "
					: "Starting a Kafka cluster of " + this.brokers + " nodes on ") + bootstrapServers() + " ...");
			LocalKafkaCluster kafka = LocalKafkaCluster.start(this.settings.dataDir(), this.brokers,
					this.settings.kafkaPort(), this.settings.controllerPort(), this.settings.logs(), START_TIMEOUT);
			synchronized (this) {
				this.kafka = kafka;
			}
			for (int id = 1; id <= kafka.size(); id++) {
				superviseNode(kafka, id);
			}
			createTopics(kafka.bootstrapServers(), this.settings.replication());
			preparing.join();
			// The services need only Kafka, so they start side by side once it is
			// healthy.
			SERVICES.forEach(this::launch);
			SERVICES.forEach((name) -> superviseOnceHealthy(service(name)));
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			close();
			throw new IllegalStateException("Interrupted while starting", ex);
		}
	}

	private synchronized ServiceProcess launch(String name) {
		if (this.stopping) {
			throw new IllegalStateException("The suite is stopping");
		}
		int port = this.settings.port(name);
		this.out.println("Starting " + name + " on port " + port + " ...");
		ServiceProcess service = ServiceProcess.start(name, this.settings.jar(name), port,
				this.settings.managementPort(name),
				Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers(), "KAFKA_STREAMS_STATE_DIR",
						this.settings.dataDir().resolve(name).toString(), "SERVER_ADDRESS",
						this.settings.bindAddress()),
				this.settings.log(name));
		this.services.put(name, service);
		return service;
	}

	/**
	 * Waits until a service is healthy, then restarts it whenever it dies before the
	 * suite is stopped. A service that dies while starting is not restarted: that is a
	 * fault to read about in its log, not one that goes away by trying again.
	 */
	private void superviseOnceHealthy(ServiceProcess service) {
		service.awaitHealthy(START_TIMEOUT);
		service.process().onExit().thenRun(() -> {
			if (this.stopping) {
				return;
			}
			this.out.println(service.name() + " stopped unexpectedly (exit code " + service.process().exitValue()
					+ "); starting it again ...");
			Thread.ofPlatform().name("restart-" + service.name()).start(() -> restart(service.name()));
		});
	}

	/**
	 * Starts a Kafka node again whenever it dies before the suite is stopped, as a
	 * machine's service manager would: the others carry on meanwhile, and it catches up
	 * with them once it is back.
	 */
	private void superviseNode(LocalKafkaCluster kafka, int id) {
		Process process = kafka.node(id).process();
		process.onExit().thenRun(() -> {
			if (this.stopping) {
				return;
			}
			String name = LocalKafkaCluster.name(id);
			this.out
				.println(name + " stopped unexpectedly (exit code " + process.exitValue() + "); starting it again ...");
			Thread.ofPlatform().name("restart-" + name).start(() -> {
				try {
					LocalKafkaBroker node = kafka.restart(id, START_TIMEOUT);
					superviseNode(kafka, id);
					this.out.println(name + " is back on " + node.bootstrapServers());
				}
				catch (RuntimeException ex) {
					if (!this.stopping) {
						this.out.println("Could not start " + name + " again: " + ex.getMessage());
					}
				}
			});
		});
	}

	private void restart(String name) {
		try {
			ServiceProcess service = launch(name);
			superviseOnceHealthy(service);
			this.out.println(name + " is back on " + service.url());
		}
		catch (RuntimeException ex) {
			if (!this.stopping) {
				this.out.println("Could not start " + name + " again: " + ex.getMessage());
			}
		}
	}

	/**
	 * The address of every Kafka node.
	 * @return {@code localhost:<port>,...}
	 */
	public String bootstrapServers() {
		return LocalKafkaCluster.bootstrapServers(this.brokers, this.settings.kafkaPort());
	}

	/**
	 * A started service.
	 * @param name the service's name
	 * @return the service
	 */
	public ServiceProcess service(String name) {
		ServiceProcess service = this.services.get(name);
		if (service == null) {
			throw new IllegalArgumentException("No service named " + name + " was started");
		}
		return service;
	}

	/**
	 * The line printed once everything is ready.
	 * @return the URLs of the services and of order-service's Swagger UI
	 */
	public String readyLine() {
		return "Order saga ready: order-service " + service("order-service").url() + " (Swagger UI "
				+ service("order-service").url() + "/swagger-ui/index.html), payment-service "
				+ service("payment-service").url() + ", notification-service " + service("notification-service").url()
				+ ", Kafka " + bootstrapServers() + "; Actuator (health, metrics) on "
				+ service("order-service").managementUrl() + ", " + service("payment-service").managementUrl() + ", "
				+ service("notification-service").managementUrl();
	}

	/** Stops every process it started: the services, in reverse order, then Kafka. */
	@Override
	public void close() {
		this.stopping = true;
		Thread preparing = this.preparing;
		if (preparing != null) {
			preparing.interrupt();
			try {
				preparing.join(Duration.ofSeconds(30));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		synchronized (this) {
			for (String name : SERVICES.reversed()) {
				ServiceProcess service = this.services.remove(name);
				if (service != null) {
					service.close();
				}
			}
			if (this.kafka != null) {
				this.kafka.close();
				this.kafka = null;
			}
		}
	}

	/** Every topic of the catalogue, as the services would create them. */
	private static void createTopics(String bootstrapServers, Replication replication) {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
			TopicCatalogue.create(admin, TopicCatalogue.entries(), replication, Duration.ofSeconds(30));
		}
	}

	private static void checkPortsAreFree(Settings settings, int brokers) {
		Map<Integer, String> ports = new LinkedHashMap<>(
				LocalKafkaCluster.ports(brokers, settings.kafkaPort(), settings.controllerPort()));
		ports.put(settings.orderPort(), "order-service");
		ports.put(settings.paymentPort(), "payment-service");
		ports.put(settings.notificationPort(), "notification-service");
		for (String service : SERVICES) {
			ports.put(settings.managementPort(service), service + "'s Actuator");
		}
		ports.forEach((port, user) -> {
			try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
				socket.setReuseAddress(true);
			}
			catch (IOException ex) {
				throw new PortInUseException("Port " + port + " (for " + user
						+ ") is already in use. Stop whatever listens on it (for example an earlier run), then start again.");
			}
		});
	}

	static void deleteRecursively(Path dir) {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(dir)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Where the suite keeps its data and on which ports it listens.
	 *
	 * @param home the repository, where the service jars are built
	 * @param dataDir the broker's data, the services' state, and the logs
	 * @param clean whether to delete the data of an earlier run first
	 * @param kafkaPort the broker's client port
	 * @param controllerPort the broker's controller port
	 * @param orderPort order-service's HTTP port
	 * @param paymentPort payment-service's HTTP port
	 * @param notificationPort notification-service's HTTP port
	 * @param bindAddress the address the services' APIs listen on: {@code 127.0.0.1},
	 * this machine only, unless {@code BIND_ADDRESS} opens them on purpose (Kafka and
	 * every service's Actuator stay on this machine)
	 * @param managementPorts the port of each service's Actuator, where set; otherwise
	 * its API's port plus 1,000
	 * @param replication how the topics are replicated: as the cluster's defaults say,
	 * unless {@code REPLICATION_FACTOR} or {@code MIN_INSYNC_REPLICAS} override them
	 */
	public record Settings(Path home, Path dataDir, boolean clean, int kafkaPort, int controllerPort, int orderPort,
			int paymentPort, int notificationPort, String bindAddress, Map<String, Integer> managementPorts,
			Replication replication) {

		/** The address every port of {@code ./run} listens on unless told otherwise. */
		public static final String LOOPBACK = "127.0.0.1";

		/**
		 * The suite on this machine only, each service's Actuator on its API's port plus
		 * 1,000.
		 */
		public Settings(Path home, Path dataDir, boolean clean, int kafkaPort, int controllerPort, int orderPort,
				int paymentPort, int notificationPort) {
			this(home, dataDir, clean, kafkaPort, controllerPort, orderPort, paymentPort, notificationPort, LOOPBACK,
					Map.of(), Replication.CLUSTER_DEFAULTS);
		}

		/**
		 * The default ports, with the data in {@code .run-data} under the repository.
		 * @param home the repository
		 * @param clean whether to start from empty data
		 * @return the settings
		 */
		public static Settings defaults(Path home, boolean clean) {
			return fromEnvironment(home, clean, Map.of());
		}

		/**
		 * The defaults, each of which an environment variable may change: the same names
		 * as in the compose file's {@code .env}.
		 * @param home the repository
		 * @param clean whether to start from empty data
		 * @param environment the environment variables
		 * @return the settings
		 */
		public static Settings fromEnvironment(Path home, boolean clean, Map<String, String> environment) {
			return new Settings(home,
					Path.of(environment.getOrDefault("RUN_DATA_DIR", home.resolve(".run-data").toString())), clean,
					port(environment, "KAFKA_PORT", 9092), port(environment, "KAFKA_CONTROLLER_PORT", 9093),
					port(environment, "ORDER_SERVICE_PORT", 8081), port(environment, "PAYMENT_SERVICE_PORT", 8082),
					port(environment, "NOTIFICATION_SERVICE_PORT", 8083),
					environment.getOrDefault("BIND_ADDRESS", LOOPBACK).strip(), managementPorts(environment),
					replication(environment));
		}

		private static Replication replication(Map<String, String> environment) {
			try {
				return Replication.fromEnvironment(environment);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException(ex.getMessage(), ex);
			}
		}

		private static Map<String, Integer> managementPorts(Map<String, String> environment) {
			Map<String, Integer> ports = new LinkedHashMap<>();
			for (String service : SERVICES) {
				String variable = managementPortVariable(service);
				if (environment.containsKey(variable)) {
					ports.put(service, port(environment, variable, 0));
				}
			}
			return Map.copyOf(ports);
		}

		/**
		 * The environment variable that sets a service's Actuator port.
		 * @param service the service, such as {@code order-service}
		 * @return for example {@code ORDER_SERVICE_MANAGEMENT_PORT}
		 */
		static String managementPortVariable(String service) {
			return service.replace('-', '_').toUpperCase(Locale.ROOT) + "_MANAGEMENT_PORT";
		}

		/**
		 * Where a service's Actuator listens.
		 * @param service the service
		 * @return its management port
		 */
		int managementPort(String service) {
			return this.managementPorts.getOrDefault(service, port(service) + 1000);
		}

		private static int port(Map<String, String> environment, String name, int fallback) {
			String value = environment.get(name);
			if (value == null || value.isBlank()) {
				return fallback;
			}
			try {
				return Integer.parseInt(value.strip());
			}
			catch (NumberFormatException ex) {
				throw new IllegalStateException(name + " must be a port number, not '" + value + "'");
			}
		}

		int port(String service) {
			return switch (service) {
				case "order-service" -> this.orderPort;
				case "payment-service" -> this.paymentPort;
				case "notification-service" -> this.notificationPort;
				default -> throw new IllegalArgumentException("No service named " + service);
			};
		}

		Path logs() {
			return this.dataDir.resolve("logs");
		}

		Path log(String service) {
			return logs().resolve(service + ".log");
		}

		Path jar(String service) {
			return this.home.resolve(service).resolve("target").resolve(service + ".jar");
		}

	}

	/**
	 * What {@code ./run} was asked to do. Anything it does not know stops it before it
	 * starts anything: {@code ./run --help} used to start the whole suite.
	 *
	 * @param clean start from empty data
	 * @param tailing show the live view of the topics
	 * @param help print the usage and start nothing
	 * @param brokers how many Kafka nodes to start
	 */
	record Options(boolean clean, boolean tailing, boolean help, int brokers) {

		/** The most Kafka nodes {@code ./run} starts on one machine. */
		static final int MAX_BROKERS = 9;

		static final String USAGE = """
				Usage: ./run [--clean] [--no-tail] [--build] [--brokers N]
				  --clean      start from empty data (an earlier run's data is kept otherwise)
				  --no-tail    leave out the live view of the topics
				  --build      rebuild the services first
				  --brokers N  start a Kafka cluster of N nodes (default 1); topics get
				               min(N, 3) replicas and need min(N, 3) - 1 in sync for a write
				Ports, data directory and settings come from the environment (see the README).""";

		Options(boolean clean, boolean tailing, boolean help) {
			this(clean, tailing, help, 1);
		}

		static Options parse(String... args) {
			boolean clean = false;
			boolean tailing = true;
			boolean help = false;
			int brokers = 1;
			for (int i = 0; i < args.length; i++) {
				String arg = args[i];
				switch (arg) {
					case "--clean" -> clean = true;
					case "--no-tail" -> tailing = false;
					case "--help", "-h" -> help = true;
					case "--brokers" -> {
						if (i + 1 == args.length) {
							throw new IllegalArgumentException("--brokers needs a number of Kafka nodes");
						}
						brokers = brokers(args[++i]);
					}
					default -> {
						if (arg.startsWith("--brokers=")) {
							brokers = brokers(arg.substring("--brokers=".length()));
						}
						else {
							throw new IllegalArgumentException("Unknown option " + arg);
						}
					}
				}
			}
			return new Options(clean, tailing, help, brokers);
		}

		private static int brokers(String value) {
			try {
				int brokers = Integer.parseInt(value);
				if (brokers >= 1 && brokers <= MAX_BROKERS) {
					return brokers;
				}
			}
			catch (NumberFormatException ex) {
				// said below
			}
			throw new IllegalArgumentException(
					"--brokers takes a number of Kafka nodes from 1 to " + MAX_BROKERS + ", not '" + value + "'");
		}

	}

	/** A port the suite needs is taken. */
	public static final class PortInUseException extends IllegalStateException {

		private static final long serialVersionUID = 1L;

		PortInUseException(String message) {
			super(message);
		}

	}

	/**
	 * Runs the suite in the foreground until Ctrl-C or SIGTERM.
	 * @param args {@code --clean} to start from empty data, {@code --no-tail} to leave
	 * out the live view of the topics (as the benchmark does, which would otherwise
	 * measure it too)
	 */
	public static void main(String[] args) {
		// Before a build can rewrite the jar: the shutdown hook needs classes of it.
		OwnClasses.load(SuiteRunner.class);
		Options options;
		try {
			options = Options.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.err.println(Options.USAGE);
			System.exit(2);
			return;
		}
		if (options.help()) {
			System.out.println(Options.USAGE);
			return;
		}
		boolean clean = options.clean();
		boolean tailing = options.tailing();
		Settings settings;
		try {
			settings = Settings.fromEnvironment(Path.of("").toAbsolutePath(), clean, System.getenv());
			checkPortsAreFree(settings, options.brokers());
		}
		catch (IllegalStateException ex) {
			// A setting or a port the user can fix: the message says which.
			System.err.println(ex.getMessage());
			System.exit(2);
			return;
		}
		SuiteRunner suite = new SuiteRunner(settings, options.brokers(), System.out);
		EventTail tail = new EventTail(suite.bootstrapServers());
		CountDownLatch stopped = new CountDownLatch(1);
		// Registered before anything starts, so that Ctrl-C while the suite is still
		// starting stops what has started so far.
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			tail.close();
			System.out.println("Stopping ...");
			suite.close();
			// A start cut short may have left processes the suite does not know of yet.
			ChildProcesses.stopAll(ProcessHandle.current());
			System.out.println("Stopped. Data in " + settings.dataDir() + " (kept for the next start; --clean starts "
					+ "afresh), logs in " + settings.logs());
			stopped.countDown();
		}, "suite-shutdown"));
		try {
			suite.startAll();
		}
		catch (RuntimeException ex) {
			// Whatever stopped the start (a service that died, a data directory that
			// cannot be written) is said in one line; the logs have the rest.
			if (!suite.stopping) {
				System.err
					.println("Could not start the suite: " + ex.getMessage() + " (logs in " + settings.logs() + ")");
			}
			System.exit(2);
			return;
		}
		System.out.println(suite.readyLine());
		if (tailing) {
			System.out.println("Watching the topics (Ctrl-C stops everything):");
			tail.follow(System.out);
		}
		else {
			System.out.println("Ctrl-C stops everything.");
			try {
				stopped.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
