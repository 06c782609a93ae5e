package io.ordersaga.runner;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.ordersaga.events.DocumentedRegistry;
import io.ordersaga.events.EventType;
import io.ordersaga.events.KafkaAccess;
import io.ordersaga.events.Topic;
import io.ordersaga.events.TopicCatalogue;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings of {@code docker-compose.yml}, alone and with
 * {@code docker-compose.cluster.yml} or {@code docker-compose.secure.yml}, run without
 * Docker: each Kafka node configured from its service's {@code KAFKA_*} variables as the
 * {@code apache/kafka} image turns them into {@code server.properties}, the secrets job's
 * and the topic job's scripts run as those services run them, and each service's jar
 * started with its environment from the file. Every container's host name and ports are
 * mapped to ports of this machine, each container's own (two brokers both listen on their
 * container's 19092), and a port a container publishes to the host to that container's
 * port. Each container's files are a directory of links to what it mounts: the files of
 * the repository, and a directory per named volume.
 */
class ComposeSettingsIT {

	/** Variables the image's start script reads itself; they are not broker settings. */
	private static final Set<String> SCRIPT_VARIABLES = Set.of("KAFKA_HEAP_OPTS", "KAFKA_OPTS",
			"KAFKA_JVM_PERFORMANCE_OPTS", "KAFKA_LOG4J_OPTS", "KAFKA_JMX_OPTS", "KAFKA_GC_LOG_OPTS");

	/** A host and port in a setting; no host is the container's own. */
	private static final Pattern ADDRESS = Pattern.compile("([A-Za-z0-9.-]*):(\\d{4,5})\\b");

	private static final Path ROOT = Path.of("target", "compose-settings").toAbsolutePath();

	private ComposeFile compose;

	private Path work;

	/** A container's port ({@code service:port}) to a free port here. */
	private final Map<String, String> ports = new HashMap<>();

	@Test
	void theComposeSettingsRunTheSagaWithExactlyTheProvisionedTopics() throws Exception {
		runTheSaga("single", 1, ComposeFile.MAIN);
	}

	@Test
	void theClusterSettingsRunTheSagaWithEveryTopicOnThreeBrokers() throws Exception {
		runTheSaga("cluster", 3, ComposeFile.MAIN, ComposeFile.CLUSTER);
	}

	@Test
	void theSecureSettingsRunTheSagaWithTlsScramTheAccessRulesAndTokens() throws Exception {
		runTheSaga("secure", 1, ComposeFile.MAIN, ComposeFile.SECURE);
	}

	private void runTheSaga(String name, int replicas, String... files) throws Exception {
		this.compose = ComposeFile.read(files);
		this.work = ROOT.resolve(name);
		SuiteRunner.deleteRecursively(this.work);
		boolean secure = this.compose.services().containsKey("kafka-secrets");
		if (secure) {
			runTheJob("kafka-secrets", "docker/kafka/create-secrets.sh", "Secrets created in");
		}
		List<String> nodes = this.compose.services()
			.keySet()
			.stream()
			.filter((service) -> this.compose.environment(service).containsKey("KAFKA_PROCESS_ROLES"))
			.toList();
		// The listener the health check and the topic job use: in secure mode the node
		// listener, with the brokers' certificate.
		String adminPort = secure ? "19093" : "19092";
		Map<String, Object> adminClient = secure
				? properties(localPaths("kafka-topics", "/etc/kafka/secrets/node.properties")) : Map.of();
		String bootstrap = String.join(",",
				nodes.stream()
					.filter(this::isBroker)
					.map((node) -> onThisMachine(node, node + ":" + adminPort))
					.toList());
		List<LocalKafkaBroker> kafka = new ArrayList<>();
		try {
			for (String node : nodes) {
				Map<String, String> environment = this.compose.environment(node);
				List<String> jvmOptions = List
					.of(localPaths(node, environment.getOrDefault("KAFKA_OPTS", "")).split("\\s+"))
					.stream()
					.filter((option) -> !option.isEmpty())
					.toList();
				kafka.add(LocalKafkaBroker.launch(this.work.resolve(node), serverProperties(node, environment),
						environment.get("CLUSTER_ID"), onThisMachine(node, node + ":" + adminPort),
						this.work.resolve("logs/" + node + ".log"), adminClient, List.of(), jvmOptions));
			}
			for (int i = 0; i < nodes.size(); i++) {
				if (isBroker(nodes.get(i))) {
					kafka.get(i).awaitReady(Duration.ofMinutes(2));
				}
			}
			String created = runTheJob("kafka-topics", "docker/kafka/create-topics.sh",
					"All topics exist (" + TopicCatalogue.entries().size() + " in the catalogue).");
			if (secure) {
				assertThat(created).contains("SCRAM credentials for: admin ");
				assertTheAccessRulesAreThoseOfTheCode(bootstrap, adminClient);
			}

			List<String> names = new ArrayList<>(List.of("payment-service", "order-service", "notification-service"));
			if (secure) {
				names.addFirst("auth-service");
			}
			ServiceProcess.prepare(names, ComposeSettingsIT::jar, this::log, System.out);
			List<ServiceProcess> services = new ArrayList<>();
			try {
				for (String service : names) {
					services.add(start(service));
				}
				services.forEach((service) -> service.awaitHealthy(Duration.ofMinutes(3)));
				for (ServiceProcess service : services) {
					if (service.name().equals("auth-service")) {
						continue;
					}
					// The API's port has the probes only; the details are on Actuator's.
					// In
					// secure mode, anything else asks who is calling first, and the
					// metrics
					// are the operator's.
					int elsewhere = secure ? 401 : 404;
					assertThat(status(service.url() + "/readyz")).as(service.name()).isEqualTo(200);
					assertThat(status(service.url() + "/actuator/health")).as(service.name()).isEqualTo(elsewhere);
					assertThat(status(service.url() + "/actuator/prometheus")).as(service.name()).isEqualTo(elsewhere);
					assertThat(status(service.managementUrl() + "/actuator/health")).as(service.name()).isEqualTo(200);
					assertThat(status(service.managementUrl() + "/actuator/prometheus")).as(service.name())
						.isEqualTo(secure ? 401 : 200);
				}
				Map<String, String> urls = new HashMap<>();
				services.forEach((service) -> urls.put(service.name(), service.url()));
				IssuerTokens tokens = secure
						? new IssuerTokens(urls.get("auth-service"),
								KafkaSecrets.existing(Path.of(localPaths("auth-service", "/etc/order-saga/secrets"))))
						: null;
				SuiteClient client = new SuiteClient(List.of(urls.get("order-service")), urls.get("payment-service"),
						urls.get("notification-service"), tokens);
				client.credit("alice", "100.00");
				UUID orderId = client.placeAccepted("alice", "EUR", "12.50");
				JsonNode order = client.awaitFinal(orderId);
				assertThat(order.path("status").asString()).isEqualTo("CONFIRMED");
				JsonNode history = order.path("history");
				client.awaitNotification("alice",
						UUID.fromString(history.get(history.size() - 1).path("eventId").asString()));
			}
			finally {
				services.forEach(ServiceProcess::close);
			}
			runTheRegistrationJob();
			if (secure) {
				assertConsoleConnectsAsTheAdmin();
			}
			assertTopicsAreTheProvisionedOnes(bootstrap, adminClient, replicas);
		}
		finally {
			stop(nodes, kafka);
		}
	}

	/**
	 * The schema-registration job as compose runs it: its entry point, in order-service's
	 * jar extracted into layers as the image holds it, with its environment, against
	 * Apicurio Registry's documented API served where the job's URL leads.
	 */
	private void runTheRegistrationJob() throws IOException, InterruptedException {
		try (DocumentedRegistry registry = new DocumentedRegistry()) {
			String container = URI.create(this.compose.environment("schema-registration").get("SCHEMA_REGISTRY_URL"))
				.getAuthority();
			this.ports.put(container, String.valueOf(registry.api().getPort()));
			Path image = this.work.resolve("images/order-service");
			SuiteRunner.deleteRecursively(image);
			Files.createDirectories(image);
			Files.copy(jar("order-service"), image.resolve("application.jar"));
			Path layers = image.resolve("layers");
			Process extract = new ProcessBuilder(java(), "-Djarmode=tools", "-jar", "application.jar", "extract",
					"--layers", "--destination", layers.toString())
				.directory(image.toFile())
				.inheritIO()
				.start();
			assertThat(extract.waitFor(2, TimeUnit.MINUTES)).isTrue();
			assertThat(extract.exitValue()).isZero();
			Path app = Files.createDirectories(image.resolve("app"));
			try (Stream<Path> layer = Files.list(layers)) {
				for (Path dir : layer.toList()) {
					copyTree(dir, app);
				}
			}
			List<String> command = new ArrayList<>();
			for (Object part : (List<?>) this.compose.service("schema-registration").get("entrypoint")) {
				command.add(part.equals("java") ? java() : String.valueOf(part));
			}
			ProcessBuilder job = new ProcessBuilder(command).directory(app.toFile()).redirectErrorStream(true);
			this.compose.environment("schema-registration")
				.forEach((name, value) -> job.environment().put(name, onThisMachine("schema-registration", value)));
			Process process = job.start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
			assertThat(process.exitValue()).as(output).isZero();
			assertThat(output).contains("orders-OrderPlaced: registered as schema", "orders-value: registered");
			assertThat(registry.subjects()).hasSize(EventType.values().length + Topic.values().length);
			assertThat(registry.undocumented()).isEmpty();
		}
	}

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static void copyTree(Path from, Path to) throws IOException {
		try (Stream<Path> files = Files.walk(from)) {
			for (Path file : files.toList()) {
				Path target = to.resolve(from.relativize(file).toString());
				if (Files.isDirectory(file)) {
					Files.createDirectories(target);
				}
				else {
					Files.copy(file, target);
				}
			}
		}
	}

	private boolean isBroker(String node) {
		return this.compose.environment(node).get("KAFKA_PROCESS_ROLES").contains("broker");
	}

	/**
	 * Stops the brokers, all at once, while the controllers still run, then the
	 * controllers: a broker shuts down through the active controller, and one stopped
	 * after the controllers waited for them until it was killed (30 s each, 90 s in all).
	 */
	private void stop(List<String> nodes, List<LocalKafkaBroker> kafka) {
		for (boolean brokers : List.of(true, false)) {
			List<LocalKafkaBroker> stopping = new ArrayList<>();
			for (int i = 0; i < kafka.size(); i++) {
				if (isBroker(nodes.get(i)) == brokers) {
					stopping.add(kafka.get(i));
				}
			}
			stopping.forEach((node) -> node.process().destroy());
			stopping.forEach(LocalKafkaBroker::close);
		}
	}

	private static int status(String url) throws IOException, InterruptedException {
		try (HttpClient http = HttpClient.newHttpClient()) {
			return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
				.statusCode();
		}
	}

	/**
	 * The image's rule: {@code KAFKA_A_B__C___D} is {@code a.b_c-d}. When a listener's
	 * name says {@code SSL://}, the image reads the key and trust stores' names and
	 * passwords from files under {@code /etc/kafka/secrets}; when one says {@code SASL_},
	 * it refuses to start without {@code KAFKA_OPTS}.
	 */
	private String serverProperties(String node, Map<String, String> kafka) throws IOException {
		StringBuilder properties = new StringBuilder();
		String advertised = kafka.getOrDefault("KAFKA_ADVERTISED_LISTENERS", "");
		if (advertised.matches(".*SASL_.*://.*")) {
			assertThat(kafka.get("KAFKA_OPTS")).as("KAFKA_OPTS, which the image asks for with SASL").isNotBlank();
		}
		if (advertised.contains("SSL://")) {
			Path secrets = Path.of(localPaths(node, "/etc/kafka/secrets"));
			properties.append("ssl.keystore.location=")
				.append(secrets.resolve(kafka.get("KAFKA_SSL_KEYSTORE_FILENAME")))
				.append("\nssl.keystore.password=")
				.append(Files.readString(secrets.resolve(kafka.get("KAFKA_SSL_KEYSTORE_CREDENTIALS"))))
				.append("\nssl.key.password=")
				.append(Files.readString(secrets.resolve(kafka.get("KAFKA_SSL_KEY_CREDENTIALS"))))
				.append('\n');
			if (kafka.getOrDefault("KAFKA_SSL_CLIENT_AUTH", "").matches("required|requested")) {
				properties.append("ssl.truststore.location=")
					.append(secrets.resolve(kafka.get("KAFKA_SSL_TRUSTSTORE_FILENAME")))
					.append("\nssl.truststore.password=")
					.append(Files.readString(secrets.resolve(kafka.get("KAFKA_SSL_TRUSTSTORE_CREDENTIALS"))))
					.append('\n');
			}
		}
		kafka.forEach((name, value) -> {
			if (name.startsWith("KAFKA_") && !SCRIPT_VARIABLES.contains(name) && !name.endsWith("_FILENAME")
					&& !name.endsWith("_CREDENTIALS")) {
				String property = name.substring("KAFKA_".length())
					.toLowerCase()
					.replace("___", "\u0001")
					.replace("__", "\u0002")
					.replace('_', '.')
					.replace('\u0001', '-')
					.replace('\u0002', '_');
				String local = property.equals("log.dirs") ? this.work.resolve(node).resolve("data").toString()
						: localPaths(node, onThisMachine(node, value));
				properties.append(property).append('=').append(local).append('\n');
			}
		});
		return properties.toString();
	}

	/**
	 * A setting of a container with every address in it replaced by this machine's: a
	 * container's host name and port by a port of its own here, {@code localhost} and a
	 * port the compose file publishes by the port of the container that publishes it.
	 */
	private String onThisMachine(String service, String value) {
		Matcher matcher = ADDRESS.matcher(value);
		StringBuilder local = new StringBuilder();
		while (matcher.find()) {
			String host = matcher.group(1);
			String port = matcher.group(2);
			String container = host.isEmpty() ? service + ":" + port
					: host.equals("localhost") ? publishedBy(port) : host + ":" + port;
			if (container == null || !this.compose.services().containsKey(container.split(":")[0])) {
				matcher.appendReplacement(local, Matcher.quoteReplacement(matcher.group()));
				continue;
			}
			matcher.appendReplacement(local,
					"localhost:" + this.ports.computeIfAbsent(container, (unmapped) -> freePort()));
		}
		matcher.appendTail(local);
		return local.toString();
	}

	/** The container port ({@code service:port}) that a host port leads to, if any. */
	private String publishedBy(String hostPort) {
		for (String service : this.compose.services().keySet()) {
			for (String mapping : this.compose.ports(service)) {
				String[] parts = mapping.replace("/tcp", "").split(":");
				if (parts.length >= 2 && parts[parts.length - 2].equals(hostPort)) {
					return service + ":" + parts[parts.length - 1];
				}
			}
		}
		return null;
	}

	/**
	 * Runs a one-shot job's script as its service does: with the service's environment,
	 * the files it mounts, and Kafka's command-line tools as the image has them.
	 * @return what the script printed
	 */
	private String runTheJob(String service, String script, String success) throws IOException, InterruptedException {
		Path bin = Files.createDirectories(this.work.resolve("bin"));
		Map<String, String> tools = Map.of("KAFKA_TOPICS", "org.apache.kafka.tools.TopicCommand", "KAFKA_CONFIGS",
				"kafka.admin.ConfigCommand", "KAFKA_ACLS", "org.apache.kafka.tools.AclCommand");
		ProcessBuilder job = new ProcessBuilder("bash", ComposeFile.HOME.resolve(script).toString())
			.redirectErrorStream(true);
		this.compose.environment(service)
			.forEach((name, value) -> job.environment().put(name, localPaths(service, onThisMachine(service, value))));
		// The image's user, to whom the secrets job hands the broker's files, is not one
		// of
		// this machine's.
		job.environment().remove("OWNER");
		job.environment().put("KEYTOOL", Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		for (Map.Entry<String, String> tool : tools.entrySet()) {
			Path command = bin.resolve(tool.getKey().toLowerCase() + ".sh");
			Files.writeString(command, "#!/bin/sh\nexec '" + java() + "' -cp '" + System.getProperty("java.class.path")
					+ "' " + tool.getValue() + " \"$@\"\n");
			Files.setPosixFilePermissions(command, PosixFilePermissions.fromString("rwxr-xr-x"));
			job.environment().put(tool.getKey(), command.toString());
		}
		Process process = job.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		assertThat(output).contains(success);
		return output;
	}

	/**
	 * A path in a container's environment as a path here: each mount's path in the
	 * container becomes the path of the link to it in the container's directory here.
	 */
	private String localPaths(String service, String value) {
		Path root = this.work.resolve("containers").resolve(service);
		Map<String, Path> sources = new HashMap<>(this.compose.mounts(service));
		this.compose.volumes(service)
			.forEach((target, volume) -> sources.put(target, this.work.resolve("volumes").resolve(volume)));
		if (sources.isEmpty()) {
			return value;
		}
		try {
			for (Map.Entry<String, Path> mount : sources.entrySet()) {
				Path link = root.resolve(mount.getKey().substring(1));
				if (!Files.isSymbolicLink(link)) {
					if (mount.getKey().startsWith("/") && !Files.exists(mount.getValue())) {
						Files.createDirectories(mount.getValue());
					}
					Files.createDirectories(link.getParent());
					Files.createSymbolicLink(link, mount.getValue());
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		// The longest first, each once: a mount inside another's directory wins.
		String targets = sources.keySet()
			.stream()
			.sorted(Comparator.comparingInt(String::length).reversed())
			.map(Pattern::quote)
			.collect(Collectors.joining("|"));
		Matcher matcher = Pattern.compile("(?<![\\w/.-])(" + targets + ")(?=$|[/\"';:\\s])").matcher(value);
		StringBuilder local = new StringBuilder();
		while (matcher.find()) {
			matcher.appendReplacement(local, Matcher.quoteReplacement(root + matcher.group(1)));
		}
		matcher.appendTail(local);
		String mapped = local.toString();
		// A directory that holds mounts, such as the secrets job's /shares.
		if (mapped.equals(value) && value.startsWith("/") && Files.isDirectory(root.resolve(value.substring(1)))) {
			return root + value;
		}
		return mapped;
	}

	private static Map<String, Object> properties(String file) {
		try (Reader reader = Files.newBufferedReader(Path.of(file))) {
			return properties(reader);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Client settings in the form of a properties file, as a Kafka client takes them. */
	private static Map<String, Object> properties(Reader reader) throws IOException {
		Properties properties = new Properties();
		properties.load(reader);
		Map<String, Object> map = new HashMap<>();
		properties.forEach((key, value) -> map.put(String.valueOf(key), value));
		return map;
	}

	/** What the topic job applied is exactly what the code's rules allow, and no more. */
	private void assertTheAccessRulesAreThoseOfTheCode(String bootstrap, Map<String, Object> client) throws Exception {
		Map<String, Object> config = new HashMap<>(client);
		config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
		try (Admin admin = Admin.create(config)) {
			Set<AclBinding> applied = Set
				.copyOf(admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS));
			Set<AclBinding> rules = KafkaAccess.rules()
				.stream()
				.flatMap((rule) -> rule.bindings().stream())
				.collect(Collectors.toSet());
			assertThat(applied).containsExactlyInAnyOrderElementsOf(rules);
		}
	}

	/**
	 * Console's cluster settings, as its Kafka client reads them: the admin principal,
	 * whose password Kafka's configuration provider reads from its file.
	 */
	private void assertConsoleConnectsAsTheAdmin() throws Exception {
		Map<String, Object> config = properties(new StringReader(localPaths("conduktor-console",
				this.compose.environment("conduktor-console").get("CDK_CLUSTERS_0_PROPERTIES"))));
		assertThat((String) config.get("sasl.jaas.config")).contains("username=\"admin\"")
			.doesNotContain(Files.readString(this.work.resolve("volumes/secrets/passwords/admin")));
		// The cluster's address in conduktor-platform-config.yaml.
		config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, onThisMachine("conduktor-console", "kafka:19092"));
		try (Admin admin = Admin.create(config)) {
			assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("orders", "payments");
		}
	}

	private ServiceProcess start(String name) {
		Map<String, String> environment = new LinkedHashMap<>();
		this.compose.environment(name)
			.forEach((variable, value) -> environment.put(variable, localPaths(name, onThisMachine(name, value))));
		int port = Integer.parseInt(environment.remove("SERVER_PORT"));
		// The image sets the state directory; here each service gets its own.
		environment.put("KAFKA_STREAMS_STATE_DIR", this.work.resolve(name).toString());
		// Actuator's port in the container: the API's plus 1,000, as the compose file
		// publishes it.
		return ServiceProcess.start(ServiceInstance.first(name), jar(name), localPort(name, port),
				localPort(name, port + 1000), environment, log(name));
	}

	private int localPort(String service, int containerPort) {
		return Integer.parseInt(this.ports.computeIfAbsent(service + ":" + containerPort, (container) -> freePort()));
	}

	private static Path jar(String name) {
		return SuiteRunner.Settings.defaults(ComposeFile.HOME, false).jar(name);
	}

	private Path log(String name) {
		return this.work.resolve("logs/" + name + ".log");
	}

	private void assertTopicsAreTheProvisionedOnes(String bootstrap, Map<String, Object> client, int replicas)
			throws Exception {
		Map<String, TopicCatalogue.Entry> provisioned = TopicCatalogue.entries()
			.stream()
			.collect(Collectors.toMap(TopicCatalogue.Entry::name, (topic) -> topic));
		Map<String, Object> settings = new HashMap<>(client);
		settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
		try (Admin admin = Admin.create(settings)) {
			Set<String> created = admin.listTopics()
				.names()
				.get(30, TimeUnit.SECONDS)
				.stream()
				// Kafka Streams' own topics, named after each service's application id.
				.filter((name) -> !name.endsWith("-changelog") && !name.endsWith("-repartition"))
				.collect(Collectors.toSet());
			assertThat(created).containsExactlyInAnyOrderElementsOf(provisioned.keySet());
			Map<String, TopicDescription> descriptions = admin.describeTopics(created)
				.allTopicNames()
				.get(30, TimeUnit.SECONDS);
			descriptions.forEach((name, description) -> assertThat(description.partitions()).as(name)
				.hasSize(provisioned.get(name).partitions()));
			// Every setting the script gives a topic is the topic's on the broker, also
			// after the services, which declare their own, have started.
			List<ConfigResource> resources = created.stream()
				.map((name) -> new ConfigResource(ConfigResource.Type.TOPIC, name))
				.toList();
			Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
			configs.forEach((resource, config) -> provisioned.get(resource.name())
				.configs()
				.forEach((key, value) -> assertThat(config.get(key).value()).as(resource.name() + " " + key)
					.isEqualTo(value)));
			assertThat(provisioned.get("payment-accounts").configs()).containsEntry("cleanup.policy", "compact");
			// Every topic, Kafka Streams' and Kafka's own included, as the brokers'
			// defaults replicate it: nothing in the suite passes a replication factor.
			Set<String> all = admin.listTopics(new ListTopicsOptions().listInternal(true))
				.names()
				.get(30, TimeUnit.SECONDS);
			assertThat(all).anyMatch((name) -> name.endsWith("-changelog")).contains("__transaction_state");
			admin.describeTopics(all)
				.allTopicNames()
				.get(30, TimeUnit.SECONDS)
				.forEach((name, description) -> assertThat(description.partitions())
					.allSatisfy((partition) -> assertThat(partition.replicas()).as(name).hasSize(replicas)));
		}
	}

	private static String freePort() {
		return String.valueOf(RunScript.freePorts(1));
	}

}
