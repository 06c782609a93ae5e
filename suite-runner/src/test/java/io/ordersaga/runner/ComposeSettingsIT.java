package io.ordersaga.runner;

import java.io.IOException;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.ordersaga.events.TopicCatalogue;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings of {@code docker-compose.yml}, alone and with
 * {@code docker-compose.cluster.yml}, run without Docker: each Kafka node configured from
 * its service's {@code KAFKA_*} variables as the {@code apache/kafka} image turns them
 * into {@code server.properties}, the provisioning script run as the {@code kafka-topics}
 * service runs it, and each service's jar started with its environment from the file.
 * Every container's host name and ports are mapped to ports of this machine, each
 * container's own (two brokers both listen on their container's 19092), and a port a
 * container publishes to the host to that container's port.
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

	private void runTheSaga(String name, int replicas, String... files) throws Exception {
		this.compose = ComposeFile.read(files);
		this.work = ROOT.resolve(name);
		SuiteRunner.deleteRecursively(this.work);
		List<String> nodes = this.compose.services()
			.keySet()
			.stream()
			.filter((service) -> this.compose.environment(service).containsKey("KAFKA_PROCESS_ROLES"))
			.toList();
		String bootstrap = String.join(",",
				nodes.stream().filter(this::isBroker).map((node) -> onThisMachine(node, node + ":19092")).toList());
		List<LocalKafkaBroker> kafka = new ArrayList<>();
		try {
			for (String node : nodes) {
				Map<String, String> environment = this.compose.environment(node);
				kafka.add(LocalKafkaBroker.launch(this.work.resolve(node), serverProperties(node, environment),
						environment.get("CLUSTER_ID"), onThisMachine(node, node + ":19092"),
						this.work.resolve("logs/" + node + ".log"), Map.of(), List.of()));
			}
			for (int i = 0; i < nodes.size(); i++) {
				if (isBroker(nodes.get(i))) {
					kafka.get(i).awaitReady(Duration.ofMinutes(2));
				}
			}
			createTopicsAsTheProvisioningServiceDoes();

			List<String> names = List.of("payment-service", "order-service", "notification-service");
			ServiceProcess.prepare(names, ComposeSettingsIT::jar, this::log, System.out);
			List<ServiceProcess> services = new ArrayList<>();
			try {
				for (String service : names) {
					services.add(start(service));
				}
				services.forEach((service) -> service.awaitHealthy(Duration.ofMinutes(3)));
				for (ServiceProcess service : services) {
					// The API's port has the probes only; the details are on Actuator's.
					assertThat(status(service.url() + "/readyz")).as(service.name()).isEqualTo(200);
					assertThat(status(service.url() + "/actuator/health")).as(service.name()).isEqualTo(404);
					assertThat(status(service.url() + "/actuator/prometheus")).as(service.name()).isEqualTo(404);
					assertThat(status(service.managementUrl() + "/actuator/prometheus")).as(service.name())
						.isEqualTo(200);
				}
				SuiteClient client = new SuiteClient(List.of(services.get(1).url()), services.get(0).url(),
						services.get(2).url());
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
			assertTopicsAreTheProvisionedOnes(bootstrap, replicas);
		}
		finally {
			stop(nodes, kafka);
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

	/** The image's rule: {@code KAFKA_A_B__C___D} is {@code a.b_c-d}. */
	private String serverProperties(String node, Map<String, String> kafka) {
		StringBuilder properties = new StringBuilder();
		kafka.forEach((name, value) -> {
			if (name.startsWith("KAFKA_") && !SCRIPT_VARIABLES.contains(name)) {
				String property = name.substring("KAFKA_".length())
					.toLowerCase()
					.replace("___", "\u0001")
					.replace("__", "\u0002")
					.replace('_', '.')
					.replace('\u0001', '-')
					.replace('\u0002', '_');
				String local = property.equals("log.dirs") ? this.work.resolve(node).resolve("data").toString()
						: onThisMachine(node, value);
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

	private void createTopicsAsTheProvisioningServiceDoes() throws IOException, InterruptedException {
		Path kafkaTopics = this.work.resolve("kafka-topics.sh");
		Files.writeString(kafkaTopics, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
				+ "' -cp '" + System.getProperty("java.class.path") + "' org.apache.kafka.tools.TopicCommand \"$@\"\n");
		Files.setPosixFilePermissions(kafkaTopics, PosixFilePermissions.fromString("rwxr-xr-x"));
		ProcessBuilder script = new ProcessBuilder("bash",
				ComposeFile.HOME.resolve("docker/kafka/create-topics.sh").toString())
			.redirectErrorStream(true);
		// The job's settings, with the files it mounts where they are on this machine.
		Map<String, Path> mounts = this.compose.mounts("kafka-topics");
		this.compose.environment("kafka-topics")
			.forEach((name, value) -> script.environment()
				.put(name, mounts.containsKey(value) ? mounts.get(value).toString()
						: onThisMachine("kafka-topics", value)));
		script.environment().put("KAFKA_TOPICS", kafkaTopics.toString());
		Process process = script.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
		assertThat(output).contains("All topics exist (" + TopicCatalogue.entries().size() + " in the catalogue).");
	}

	private ServiceProcess start(String name) {
		Map<String, String> environment = new LinkedHashMap<>();
		this.compose.environment(name)
			.forEach((variable, value) -> environment.put(variable, onThisMachine(name, value)));
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

	private void assertTopicsAreTheProvisionedOnes(String bootstrap, int replicas) throws Exception {
		Map<String, TopicCatalogue.Entry> provisioned = TopicCatalogue.entries()
			.stream()
			.collect(Collectors.toMap(TopicCatalogue.Entry::name, (topic) -> topic));
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
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
