package io.ordersaga.runner;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.ordersaga.events.KafkaAccess;
import io.ordersaga.events.Replication;
import io.ordersaga.events.SchemaRegistration;
import io.ordersaga.events.TopicCatalogue;
import org.apache.kafka.clients.admin.Admin;
import org.jspecify.annotations.Nullable;

/**
 * The whole suite on one machine without Docker: a Kafka broker (or a cluster of them)
 * from the Kafka jars, the topic catalogue, and payment-service, order-service and
 * notification-service as separate processes, one or more instances of each, started once
 * what they need is healthy. A process that dies while the suite runs (a crash,
 * {@code kill -9}) is started again, as a container platform would restart it.
 */
public final class SuiteRunner implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

	/** The services in the order they are started; they are stopped the other way. */
	private static final List<String> SERVICES = List.of("payment-service", "order-service", "notification-service");

	/**
	 * The OpenID Connect issuer that secure mode starts before the services: they check
	 * the tokens it signs.
	 */
	static final String ISSUER = "auth-service";

	/**
	 * The prefix of the load generator's customers, whom the issuer of
	 * {@code ./run --secure} lets sign in with the shared password in
	 * {@code passwords/load-customers}.
	 */
	public static final String LOAD_CUSTOMERS = "load-";

	/**
	 * How often the services' Kafka Streams commit on a cluster of several nodes, instead
	 * of the 25 ms saga-defaults.yml gives a single broker. On a cluster a commit costs
	 * more: its markers and the transaction log's records are replicated, and every
	 * replica's fetch is a request more. On one 2-core machine, three nodes from
	 * {@code ./run --brokers 3} completed 9.9, 27.1 and 50.9 sagas/s offered 50, 100 and
	 * 200 orders/s with 25 ms, and 18.9, 47.8 and 90.8 with 100 ms
	 * (docs/benchmarks-notes.md).
	 */
	static final Duration CLUSTER_COMMIT_INTERVAL = Duration.ofMillis(100);

	private final Settings settings;

	private final PrintStream out;

	private final Map<String, ServiceProcess> services = new ConcurrentHashMap<>();

	private volatile boolean stopping;

	private final int brokers;

	/** Every instance of every service, in the order they are started. */
	private final List<ServiceInstance> instances;

	private final boolean secure;

	/** Whether Debian's Prometheus scrapes the services ({@code --prometheus}). */
	private final boolean prometheus;

	private @Nullable LocalPrometheus scraper;

	/** In secure mode, the certificates and credentials, once created. */
	private volatile @Nullable KafkaSecrets secrets;

	private @Nullable LocalKafkaCluster kafka;

	/** Records the services' start-up caches while the broker starts. */
	private volatile @Nullable Thread preparing;

	private SuiteRunner(Settings settings, int brokers, int instances, boolean secure, boolean prometheus,
			PrintStream out) {
		this.brokers = brokers;
		this.instances = instances(instances, secure);
		this.secure = secure;
		this.prometheus = prometheus;
		this.settings = settings;
		this.out = out;
	}

	/**
	 * Every instance of every service, the services in the order they start.
	 * @param perService how many instances of each
	 * @return the instances
	 */
	static List<ServiceInstance> instances(int perService) {
		return instances(perService, false);
	}

	/**
	 * Every instance of every service, the services in the order they start, the issuer
	 * first in secure mode.
	 * @param perService how many instances of each service
	 * @param secure whether the issuer runs too
	 * @return the instances
	 */
	static List<ServiceInstance> instances(int perService, boolean secure) {
		List<ServiceInstance> instances = new ArrayList<>();
		if (secure) {
			instances.add(new ServiceInstance(ISSUER, 1));
		}
		for (String service : SERVICES) {
			for (int number = 1; number <= perService; number++) {
				instances.add(new ServiceInstance(service, number));
			}
		}
		return List.copyOf(instances);
	}

	/**
	 * Starts everything, in order, and returns once every service is healthy.
	 * @param settings where and on which ports
	 * @param out where progress is reported
	 * @return the running suite; close it to stop everything it started
	 */
	public static SuiteRunner start(Settings settings, PrintStream out) {
		checkPortsAreFree(settings, 1, 1);
		SuiteRunner suite = new SuiteRunner(settings, 1, 1, false, false, out);
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
			.start(() -> ServiceProcess.prepare(
					this.instances.stream().map(ServiceInstance::service).distinct().toList(), this.settings::jar,
					this.settings::log, this.out));
		this.preparing = preparing;
		try {
			KafkaSecrets secrets = null;
			if (this.secure) {
				secrets = KafkaSecrets.create(this.settings.home(), this.settings.secrets(), KafkaAccess.principals());
				this.secrets = secrets;
				this.out.println("Secure mode: TLS and SASL/SCRAM on every Kafka listener, ACLs per service ("
						+ KafkaAccess.RESOURCE + "), OAuth2 tokens from " + ISSUER + " on every API; certificates and "
						+ "passwords in " + this.settings.secrets());
			}
			this.out.println(((this.brokers == 1) ? "Starting Kafka on "
					: "Starting a Kafka cluster of " + this.brokers + " nodes on ") + bootstrapServers() + " ...");
			LocalKafkaCluster kafka = LocalKafkaCluster.start(this.settings.dataDir(), this.brokers,
					this.settings.kafkaPort(), this.settings.controllerPort(), this.settings.logs(), START_TIMEOUT,
					secrets);
			synchronized (this) {
				this.kafka = kafka;
			}
			for (int id = 1; id <= kafka.size(); id++) {
				superviseNode(kafka, id);
			}
			createTopicsAndAcls(kafka.adminClientProperties(), this.settings.replication(), this.secure);
			registerSchemas(this.settings.schemaRegistry(), this.out);
			preparing.join();
			// The services need only Kafka, so they start side by side once it is
			// healthy.
			List<ServiceProcess> started = this.instances.stream().map(this::launch).toList();
			for (int i = 0; i < started.size(); i++) {
				superviseOnceHealthy(this.instances.get(i), started.get(i));
			}
			if (this.prometheus) {
				LocalPrometheus scraper = LocalPrometheus.start(this.settings.home(),
						this.settings.dataDir().resolve("prometheus"), this.settings.prometheusPort(),
						this::managementUrls, this.settings.log("prometheus"), START_TIMEOUT);
				synchronized (this) {
					this.scraper = scraper;
				}
			}
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

	private synchronized ServiceProcess launch(ServiceInstance instance) {
		if (this.stopping) {
			throw new IllegalStateException("The suite is stopping");
		}
		String name = instance.name();
		int port = this.settings.port(instance);
		Map<String, String> environment = new LinkedHashMap<>(Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers(),
				"KAFKA_STREAMS_STATE_DIR", this.settings.dataDir().resolve(name).toString(), "SERVER_ADDRESS",
				this.settings.bindAddress()));
		environment.putAll(clusterEnvironment(this.brokers, System.getenv()));
		KafkaSecrets secrets = this.secrets;
		if (secrets != null && instance.service().equals(ISSUER)) {
			// The load generator's customers (./load --secure) may sign in on this
			// machine.
			environment.putAll(Map.of("AUTH_PASSWORDS_DIR", secrets.passwords().toString(), "AUTH_ISSUER", issuer(),
					"ORDERSAGA_AUTH_LOAD_CUSTOMERS", LOAD_CUSTOMERS));
		}
		else if (secrets != null) {
			environment.putAll(secrets.serviceEnvironment(instance.service()));
			environment.putAll(Map.of("SPRING_PROFILES_ACTIVE", "secure", "AUTH_ISSUER_URI", issuer()));
		}
		ServiceProcess service = ServiceProcess.start(instance, this.settings.jar(instance.service()), port,
				this.settings.managementPort(instance), environment, this.settings.log(name));
		this.out.println("Starting " + name + " on port " + port + " (pid " + service.process().pid() + ") ...");
		this.services.put(name, service);
		return service;
	}

	/**
	 * What the services are told of a cluster of several nodes: to commit every
	 * {@link #CLUSTER_COMMIT_INTERVAL}, unless {@code COMMIT_INTERVAL_MS} is set already.
	 * @param brokers how many Kafka nodes
	 * @param environment {@code ./run}'s environment
	 * @return the variables to add to each service's environment
	 */
	static Map<String, String> clusterEnvironment(int brokers, Map<String, String> environment) {
		if (brokers == 1 || environment.containsKey("COMMIT_INTERVAL_MS")) {
			return Map.of();
		}
		return Map.of("COMMIT_INTERVAL_MS", String.valueOf(CLUSTER_COMMIT_INTERVAL.toMillis()));
	}

	/**
	 * Waits until a service is healthy, then restarts it whenever it dies before the
	 * suite is stopped. A service that dies while starting is not restarted: that is a
	 * fault to read about in its log, not one that goes away by trying again.
	 */
	private void superviseOnceHealthy(ServiceInstance instance, ServiceProcess service) {
		service.awaitHealthy(START_TIMEOUT);
		service.process().onExit().thenRun(() -> {
			if (this.stopping) {
				return;
			}
			this.out.println(service.name() + " stopped unexpectedly (exit code " + service.process().exitValue()
					+ "); starting it again ...");
			Thread.ofPlatform().name("restart-" + service.name()).start(() -> restart(instance));
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

	private void restart(ServiceInstance instance) {
		try {
			ServiceProcess service = launch(instance);
			superviseOnceHealthy(instance, service);
			this.out.println(instance.name() + " is back on " + service.url());
		}
		catch (RuntimeException ex) {
			if (!this.stopping) {
				this.out.println("Could not start " + instance.name() + " again: " + ex.getMessage());
			}
		}
	}

	/**
	 * How a client of the operator's (the live view, for one) connects to Kafka: the
	 * bootstrap servers, and in secure mode the admin's credentials.
	 * @return the client's settings
	 */
	public synchronized Map<String, Object> kafkaClientProperties() {
		if (this.kafka == null) {
			throw new IllegalStateException("Kafka is not running");
		}
		return this.kafka.adminClientProperties();
	}

	/**
	 * The issuer's URL, as the services and browsers reach it and as its tokens name it.
	 * @return {@code http://localhost:<port>}
	 */
	public String issuer() {
		return "http://localhost:" + this.settings.port(ISSUER);
	}

	/**
	 * The address of every Kafka node.
	 * @return {@code localhost:<port>,...}
	 */
	public String bootstrapServers() {
		return LocalKafkaCluster.bootstrapServers(this.brokers, this.settings.kafkaPort());
	}

	/**
	 * A started instance of a service.
	 * @param name the instance's name, such as {@code order-service} or
	 * {@code order-service-2}
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
		List<String> shown = List.of(ISSUER, "order-service", "payment-service", "notification-service");
		return "Order saga ready: " + (this.secure ? "issuer " + issuer() + " (tokens: see the README), " : "")
				+ "order-service " + urls("order-service") + " (Swagger UI " + swaggerUi() + "), payment-service "
				+ urls("payment-service") + ", notification-service " + urls("notification-service") + ", Kafka "
				+ bootstrapServers() + "; Actuator (health, metrics) on "
				+ this.instances.stream()
					.sorted(Comparator.comparing(ServiceInstance::number)
						.thenComparing((instance) -> shown.indexOf(instance.service())))
					.map((instance) -> service(instance.name()).managementUrl())
					.collect(Collectors.joining(", "))
				+ ((this.scraper != null) ? "; Prometheus " + this.scraper.url() : "");
	}

	/** Every instance's Actuator of a service, as Prometheus scrapes them. */
	private List<String> managementUrls(String service) {
		return this.instances.stream()
			.filter((instance) -> instance.service().equals(service))
			.map((instance) -> "http://127.0.0.1:" + this.settings.managementPort(instance))
			.toList();
	}

	/**
	 * order-service's Swagger UI. In secure mode it signs in through the issuer, which
	 * sends the browser back to a loopback IP address only (RFC 8252), so it is opened on
	 * one.
	 */
	private String swaggerUi() {
		String url = service("order-service").url() + "/swagger-ui/index.html";
		return this.secure ? url.replace("//localhost:", "//127.0.0.1:") : url;
	}

	/**
	 * The URLs of every instance of a service:
	 * {@code http://...:8081 and http://...:8181}.
	 */
	private String urls(String service) {
		return this.instances.stream()
			.filter((instance) -> instance.service().equals(service))
			.map((instance) -> service(instance.name()).url())
			.collect(Collectors.joining(" and "));
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
			if (this.scraper != null) {
				this.scraper.close();
				this.scraper = null;
			}
			for (ServiceInstance instance : this.instances.reversed()) {
				ServiceProcess service = this.services.remove(instance.name());
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

	/**
	 * Registers the contract's JSON Schemas in the registry {@code SCHEMA_REGISTRY_URL}
	 * names, or says that there is none: Apicurio Registry, the compose file's, is not
	 * published in a form that runs from Maven Central.
	 * @param registry the registry's Confluent-compatible API, or null
	 * @param out where to say what was done
	 * @throws IllegalStateException if the registry refuses a schema or cannot be reached
	 */
	static void registerSchemas(@Nullable URI registry, PrintStream out) {
		if (registry == null) {
			out.println("No schema registry: set SCHEMA_REGISTRY_URL to one's Confluent-compatible API (for example "
					+ "Apicurio Registry from `docker compose up schema-registry`: "
					+ "http://localhost:8085/apis/ccompat/v7) to register the contract's JSON Schemas in it.");
			return;
		}
		try {
			List<String> done = new SchemaRegistration(registry).registerAll();
			out.println("Schema registry " + registry + ": " + String.join("; ", done));
		}
		catch (SchemaRegistration.RegistrationException ex) {
			throw new IllegalStateException(ex.getMessage(), ex);
		}
	}

	/**
	 * Every topic of the catalogue, as the services would create them, and in secure mode
	 * every ACL of {@link KafkaAccess}.
	 */
	private static void createTopicsAndAcls(Map<String, Object> adminClient, Replication replication, boolean secure) {
		try (Admin admin = Admin.create(adminClient)) {
			TopicCatalogue.create(admin, TopicCatalogue.entries(), replication, Duration.ofSeconds(30));
			if (secure) {
				KafkaAccess.apply(admin, Duration.ofSeconds(30));
			}
		}
	}

	static void checkPortsAreFree(Settings settings, int brokers, int instances) {
		checkPortsAreFree(settings, brokers, instances, false);
	}

	static void checkPortsAreFree(Settings settings, int brokers, int instances, boolean secure) {
		checkPortsAreFree(settings, brokers, instances, secure, false);
	}

	static void checkPortsAreFree(Settings settings, int brokers, int instances, boolean secure, boolean prometheus) {
		Map<Integer, String> ports = new LinkedHashMap<>(
				LocalKafkaCluster.ports(brokers, settings.kafkaPort(), settings.controllerPort()));
		if (prometheus) {
			claim(ports, settings.prometheusPort(), "Prometheus");
		}
		for (ServiceInstance instance : instances(instances, secure)) {
			claim(ports, settings.port(instance), instance.name());
			claim(ports, settings.managementPort(instance), instance.name() + "'s Actuator");
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

	/** Takes a port for one use, and refuses a port that two settings give out. */
	private static void claim(Map<Integer, String> ports, int port, String user) {
		String other = ports.putIfAbsent(port, user);
		if (other != null) {
			throw new IllegalStateException("Port " + port + " would be used by both " + other + " and " + user
					+ "; set the ports apart (see the README).");
		}
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
	 * @param authPort the issuer's HTTP port, in secure mode
	 * @param bindAddress the address the services' APIs listen on: {@code 127.0.0.1},
	 * this machine only, unless {@code BIND_ADDRESS} opens them on purpose (Kafka and
	 * every service's Actuator stay on this machine)
	 * @param managementPorts the port of each service's Actuator, where set; otherwise
	 * its API's port plus 1,000
	 * @param replication how the topics are replicated: as the cluster's defaults say,
	 * unless {@code REPLICATION_FACTOR} or {@code MIN_INSYNC_REPLICAS} override them
	 */
	public record Settings(Path home, Path dataDir, boolean clean, int kafkaPort, int controllerPort, int orderPort,
			int paymentPort, int notificationPort, int authPort, String bindAddress,
			Map<String, Integer> managementPorts, Replication replication, @Nullable URI schemaRegistry,
			int prometheusPort) {

		/** The address every port of {@code ./run} listens on unless told otherwise. */
		public static final String LOOPBACK = "127.0.0.1";

		/**
		 * The suite on this machine only, each service's Actuator on its API's port plus
		 * 1,000.
		 */
		public Settings(Path home, Path dataDir, boolean clean, int kafkaPort, int controllerPort, int orderPort,
				int paymentPort, int notificationPort) {
			this(home, dataDir, clean, kafkaPort, controllerPort, orderPort, paymentPort, notificationPort,
					notificationPort + 1, LOOPBACK, Map.of(), Replication.CLUSTER_DEFAULTS, null, 9090);
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
					port(environment, "NOTIFICATION_SERVICE_PORT", 8083), port(environment, "AUTH_SERVICE_PORT", 8084),
					environment.getOrDefault("BIND_ADDRESS", LOOPBACK).strip(), managementPorts(environment),
					replication(environment), schemaRegistry(environment), port(environment, "PROMETHEUS_PORT", 9090));
		}

		private static @Nullable URI schemaRegistry(Map<String, String> environment) {
			String url = environment.getOrDefault("SCHEMA_REGISTRY_URL", "").strip();
			if (url.isEmpty()) {
				return null;
			}
			try {
				URI uri = new URI(url);
				if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
					throw new URISyntaxException(url, "not an http or https URL");
				}
				return uri;
			}
			catch (URISyntaxException ex) {
				throw new IllegalStateException("SCHEMA_REGISTRY_URL must be a registry's Confluent-compatible API, "
						+ "such as http://localhost:8085/apis/ccompat/v7, not '" + url + "'", ex);
			}
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
			for (String service : Stream.concat(SERVICES.stream(), Stream.of(ISSUER)).toList()) {
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
			return portVariable(service).replace("_PORT", "_MANAGEMENT_PORT");
		}

		/**
		 * The environment variable that sets a service's API port.
		 * @param service the service, such as {@code order-service}
		 * @return for example {@code ORDER_SERVICE_PORT}
		 */
		static String portVariable(String service) {
			return service.replace('-', '_').toUpperCase(Locale.ROOT) + "_PORT";
		}

		/**
		 * Where a service's Actuator listens.
		 * @param service the service
		 * @return its management port
		 */
		int managementPort(String service) {
			return this.managementPorts.getOrDefault(service, port(service) + 1000);
		}

		/**
		 * Where an instance of a service answers.
		 * @param instance the instance
		 * @return its API's port
		 */
		int port(ServiceInstance instance) {
			return instance.port(port(instance.service()));
		}

		/**
		 * Where an instance of a service has its Actuator.
		 * @param instance the instance
		 * @return its management port
		 */
		int managementPort(ServiceInstance instance) {
			return instance.port(managementPort(instance.service()));
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
				case ISSUER -> this.authPort;
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

		/**
		 * Where secure mode keeps its certificates and passwords.
		 * @return the directory, under the data directory
		 */
		Path secrets() {
			return this.dataDir.resolve("secrets");
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
	 * @param instances how many instances of each service to start
	 * @param secure whether Kafka runs in secure mode
	 */
	record Options(boolean clean, boolean tailing, boolean help, int brokers, int instances, boolean secure,
			boolean prometheus) {

		/** The most Kafka nodes {@code ./run} starts on one machine. */
		static final int MAX_BROKERS = 9;

		/** The most instances of each service {@code ./run} starts on one machine. */
		static final int MAX_INSTANCES = 4;

		static final String USAGE = """
				Usage: ./run [--clean] [--no-tail] [--build] [--brokers N] [--instances N] [--secure] [--prometheus]
				  --clean        start from empty data (an earlier run's data is kept otherwise)
				  --no-tail      leave out the live view of the topics
				  --build        rebuild the services first
				  --brokers N    start a Kafka cluster of N nodes (default 1); topics get
				                 min(N, 3) replicas and need min(N, 3) - 1 in sync for a write
				  --instances N  start N instances of each service (default 1), the second
				                 on each port plus 100, the next plus 200, and so on
				  --secure       Kafka with TLS on every listener, SASL/SCRAM and ACLs, a principal
				                 per service; certificates and passwords under the data directory
				  --prometheus   Prometheus (Debian's package) scraping every service, with the
				                 monitoring compose file's configuration, on PROMETHEUS_PORT (9090)
				Ports, data directory and settings come from the environment (see the README).""";

		Options(boolean clean, boolean tailing, boolean help) {
			this(clean, tailing, help, 1, 1, false);
		}

		Options(boolean clean, boolean tailing, boolean help, int brokers) {
			this(clean, tailing, help, brokers, 1, false);
		}

		Options(boolean clean, boolean tailing, boolean help, int brokers, int instances, boolean secure) {
			this(clean, tailing, help, brokers, instances, secure, false);
		}

		static Options parse(String... args) {
			boolean clean = false;
			boolean tailing = true;
			boolean help = false;
			int brokers = 1;
			int instances = 1;
			boolean secure = false;
			boolean prometheus = false;
			for (int i = 0; i < args.length; i++) {
				String arg = args[i];
				// Only the options with a value may be written --option=value.
				String option = (arg.startsWith("--brokers=") || arg.startsWith("--instances="))
						? arg.substring(0, arg.indexOf('=')) : arg;
				switch (option) {
					case "--clean" -> clean = true;
					case "--no-tail" -> tailing = false;
					case "--help", "-h" -> help = true;
					case "--secure" -> secure = true;
					case "--prometheus" -> prometheus = true;
					case "--brokers", "--instances" -> {
						String value;
						if (!option.equals(arg)) {
							value = arg.substring(option.length() + 1);
						}
						else if (i + 1 < args.length) {
							value = args[++i];
						}
						else {
							throw new IllegalArgumentException(option + " needs a number of " + counted(option));
						}
						if (option.equals("--brokers")) {
							brokers = count(option, value, MAX_BROKERS);
						}
						else {
							instances = count(option, value, MAX_INSTANCES);
						}
					}
					default -> throw new IllegalArgumentException("Unknown option " + arg);
				}
			}
			if (secure && prometheus) {
				throw new IllegalArgumentException("--prometheus does not go with --secure yet: in secure mode "
						+ "Actuator answers the operator's token only, which Prometheus cannot fetch");
			}
			return new Options(clean, tailing, help, brokers, instances, secure, prometheus);
		}

		private static String counted(String option) {
			return option.equals("--brokers") ? "Kafka nodes" : "instances of each service";
		}

		private static int count(String option, String value, int most) {
			try {
				int count = Integer.parseInt(value);
				if (count >= 1 && count <= most) {
					return count;
				}
			}
			catch (NumberFormatException ex) {
				// said below
			}
			throw new IllegalArgumentException(
					option + " takes a number of " + counted(option) + " from 1 to " + most + ", not '" + value + "'");
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
			checkPortsAreFree(settings, options.brokers(), options.instances(), options.secure(), options.prometheus());
		}
		catch (IllegalStateException ex) {
			// A setting or a port the user can fix: the message says which.
			System.err.println(ex.getMessage());
			System.exit(2);
			return;
		}
		SuiteRunner suite = new SuiteRunner(settings, options.brokers(), options.instances(), options.secure(),
				options.prometheus(), System.out);
		// Made once Kafka runs: in secure mode, its client needs the certificates.
		AtomicReference<@Nullable EventTail> tail = new AtomicReference<>();
		CountDownLatch stopped = new CountDownLatch(1);
		AtomicBoolean stoppedByUser = new AtomicBoolean();
		// Registered before anything starts, so that Ctrl-C while the suite is still
		// starting stops what has started so far.
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			stoppedByUser.set(true);
			EventTail following = tail.get();
			if (following != null) {
				following.close();
			}
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
			// cannot be written) is said in one line; the logs have the rest. A failed
			// start has already stopped the suite, so only a Ctrl-C goes unexplained.
			if (!stoppedByUser.get()) {
				System.err
					.println("Could not start the suite: " + ex.getMessage() + " (logs in " + settings.logs() + ")");
			}
			System.exit(2);
			return;
		}
		System.out.println(suite.readyLine());
		if (tailing) {
			System.out.println("Watching the topics (Ctrl-C stops everything):");
			EventTail following = new EventTail(suite.kafkaClientProperties());
			tail.set(following);
			following.follow(System.out);
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
