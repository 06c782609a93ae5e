package io.ordersaga.runner;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import io.ordersaga.events.Topic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The whole suite on one machine without Docker: a Kafka broker from the Kafka jars, the
 * topic catalogue, and payment-service, order-service and notification-service as
 * separate processes, each started once what it needs is healthy.
 */
public final class SuiteRunner implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

	private final Settings settings;

	private final List<AutoCloseable> started = new ArrayList<>();

	private final Map<String, ServiceProcess> services = new LinkedHashMap<>();

	private LocalKafkaBroker broker;

	private SuiteRunner(Settings settings) {
		this.settings = settings;
	}

	/**
	 * Starts everything, in order, and returns once every service is healthy.
	 * @param settings where and on which ports
	 * @param out where progress is reported
	 * @return the running suite; close it to stop everything it started
	 */
	public static SuiteRunner start(Settings settings, PrintStream out) {
		checkPortsAreFree(settings);
		if (settings.clean()) {
			deleteRecursively(settings.dataDir());
		}
		SuiteRunner suite = new SuiteRunner(settings);
		try {
			out.println("Starting Kafka on localhost:" + settings.kafkaPort() + " ...");
			suite.broker = LocalKafkaBroker.start(settings.dataDir().resolve("kafka"), settings.kafkaPort(),
					settings.controllerPort(), settings.logs().resolve("kafka.log"), START_TIMEOUT);
			suite.started.add(suite.broker);
			createTopics(suite.broker.bootstrapServers());
			// The services need only Kafka, so they start side by side once it is
			// healthy.
			Map<String, ServiceProcess> starting = new LinkedHashMap<>();
			starting.put("payment-service", suite.launch("payment-service", settings.paymentPort(), out));
			starting.put("order-service", suite.launch("order-service", settings.orderPort(), out));
			starting.put("notification-service",
					suite.launch("notification-service", settings.notificationPort(), out));
			starting.forEach((name, service) -> suite.services.put(name, service.awaitHealthy(START_TIMEOUT)));
			return suite;
		}
		catch (RuntimeException ex) {
			suite.close();
			throw ex;
		}
	}

	private ServiceProcess launch(String name, int port, PrintStream out) {
		out.println("Starting " + name + " on port " + port + " ...");
		ServiceProcess service = ServiceProcess
			.start(name, this.settings.home().resolve(name).resolve("target").resolve(name + "-0.1.0-SNAPSHOT.jar"),
					port,
					Map.of("KAFKA_BOOTSTRAP_SERVERS", this.broker.bootstrapServers(), "KAFKA_STREAMS_STATE_DIR",
							this.settings.dataDir().resolve(name).toString()),
					this.settings.logs().resolve(name + ".log"));
		this.started.add(service);
		return service;
	}

	/**
	 * The broker's address.
	 * @return {@code localhost:<port>}
	 */
	public String bootstrapServers() {
		return this.broker.bootstrapServers();
	}

	/**
	 * A started service.
	 * @param name the service's name
	 * @return the service
	 */
	public ServiceProcess service(String name) {
		return this.services.get(name);
	}

	/**
	 * The line printed once everything is ready.
	 * @return the URLs of the services and of order-service's Swagger UI
	 */
	public String readyLine() {
		return "Order saga ready: order-service " + service("order-service").url() + " (Swagger UI "
				+ service("order-service").url() + "/swagger-ui/index.html), payment-service "
				+ service("payment-service").url() + ", notification-service " + service("notification-service").url()
				+ ", Kafka " + bootstrapServers();
	}

	/** Stops every process it started, newest first. */
	@Override
	public void close() {
		for (int i = this.started.size() - 1; i >= 0; i--) {
			try {
				this.started.get(i).close();
			}
			catch (Exception ex) {
				// keep stopping the others
			}
		}
		this.started.clear();
	}

	private static void createTopics(String bootstrapServers) {
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
			for (Topic topic : Topic.values()) {
				for (String name : List.of(topic.topicName(), topic.deadLetterTopicName())) {
					try {
						admin.createTopics(List.of(new NewTopic(name, topic.partitions(), (short) 1)))
							.all()
							.get(30, TimeUnit.SECONDS);
					}
					catch (ExecutionException ex) {
						if (!(ex.getCause() instanceof TopicExistsException)) {
							throw new IllegalStateException("Could not create topic " + name, ex);
						}
					}
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("Kafka did not create the topics in time", ex);
		}
	}

	private static void checkPortsAreFree(Settings settings) {
		Map<Integer, String> ports = new LinkedHashMap<>();
		ports.put(settings.kafkaPort(), "Kafka");
		ports.put(settings.controllerPort(), "the Kafka controller");
		ports.put(settings.orderPort(), "order-service");
		ports.put(settings.paymentPort(), "payment-service");
		ports.put(settings.notificationPort(), "notification-service");
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

	private static void deleteRecursively(Path dir) {
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
	 */
	public record Settings(Path home, Path dataDir, boolean clean, int kafkaPort, int controllerPort, int orderPort,
			int paymentPort, int notificationPort) {

		/**
		 * The default ports, with the data in {@code .run-data} under the repository.
		 * @param home the repository
		 * @param clean whether to start from empty data
		 * @return the settings
		 */
		public static Settings defaults(Path home, boolean clean) {
			return new Settings(home, home.resolve(".run-data"), clean, 9092, 9093, 8081, 8082, 8083);
		}

		Path logs() {
			return this.dataDir.resolve("logs");
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
	 * @param args {@code --clean} to start from empty data
	 */
	public static void main(String[] args) {
		boolean clean = List.of(args).contains("--clean");
		Settings settings = Settings.defaults(Path.of("").toAbsolutePath(), clean);
		SuiteRunner suite;
		try {
			suite = start(settings, System.out);
		}
		catch (IllegalStateException ex) {
			System.err.println(ex.getMessage());
			System.exit(2);
			return;
		}
		EventTail tail = new EventTail(suite.bootstrapServers());
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			tail.close();
			System.out.println("Stopping ...");
			suite.close();
			System.out.println("Stopped. Data in " + settings.dataDir() + " (kept for the next start; --clean starts "
					+ "afresh), logs in " + settings.logs());
		}, "suite-shutdown"));
		System.out.println(suite.readyLine());
		System.out.println("Watching the topics (Ctrl-C stops everything):");
		tail.follow(System.out);
	}

}
