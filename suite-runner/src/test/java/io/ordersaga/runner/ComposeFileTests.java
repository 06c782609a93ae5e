package io.ordersaga.runner;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.ordersaga.events.KafkaAccess;
import io.ordersaga.events.Replication;
import io.ordersaga.events.SchemaRegistration;
import io.ordersaga.events.TopicCatalogue;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docker-compose.yml}, {@code docker-compose.monitoring.yml}, {@code .env}, the
 * topic provisioning script, the {@code Dockerfile} and
 * {@code conduktor-platform-config.yaml} checked against each other and against the code,
 * without a Docker engine. {@link ComposeSettingsIT} runs the same settings.
 */
class ComposeFileTests {

	private static final List<String> SERVICES = List.of("order-service", "payment-service", "notification-service");

	/** The images of the stack whose containers run a JVM. */
	private static final Set<String> JVM_IMAGES = Set.of("apache/kafka", "conduktor/conduktor-console",
			"order-saga/order-service", "order-saga/payment-service", "order-saga/notification-service",
			"order-saga/auth-service", "apicurio/apicurio-registry");

	/**
	 * PostgreSQL, Conduktor's Cortex bundle, Prometheus, Tempo and Grafana (C and Go
	 * programs).
	 */
	private static final Set<String> IMAGES_WITHOUT_JVM = Set.of("postgres", "conduktor/conduktor-console-cortex",
			"prom/prometheus", "grafana/tempo", "grafana/grafana");

	private static final long MB = 1024 * 1024;

	private static final Pattern JVM_COMMAND = Pattern.compile("\\bjava (.*?) -jar ([^\\s\"]+)");

	private final ComposeFile compose = ComposeFile.read();

	private final ComposeFile withMonitoring = ComposeFile.read(ComposeFile.MAIN, ComposeFile.MONITORING);

	private final ComposeFile withCluster = ComposeFile.read(ComposeFile.MAIN, ComposeFile.CLUSTER);

	private final ComposeFile withSecure = ComposeFile.read(ComposeFile.MAIN, ComposeFile.SECURE);

	@Test
	void dockerComposeAcceptsTheFileAloneAndWithTheMonitoringClusterOrSecureFile() {
		for (List<String> files : List.of(List.of(ComposeFile.MAIN), List.of(ComposeFile.MAIN, ComposeFile.MONITORING),
				List.of(ComposeFile.MAIN, ComposeFile.CLUSTER),
				List.of(ComposeFile.MAIN, ComposeFile.CLUSTER, ComposeFile.MONITORING),
				List.of(ComposeFile.MAIN, ComposeFile.SECURE),
				List.of(ComposeFile.MAIN, ComposeFile.SECURE, ComposeFile.MONITORING))) {
			List<String> command = new ArrayList<>(List.of("docker-compose"));
			files.forEach((file) -> command.addAll(List.of("-f", file)));
			command.addAll(List.of("config", "-q"));
			Ran config = ran(new ProcessBuilder(command).directory(ComposeFile.HOME.toFile()));
			assertThat(config.exitValue()).as(files + ": " + config.output()).isZero();
		}
	}

	@Test
	void theTopicJobReadsTheCatalogueTheCodeReads() throws IOException {
		Map<String, String> environment = this.compose.environment("kafka-topics");
		Map<String, Path> mounts = this.compose.mounts("kafka-topics");
		assertThat(mounts).containsEntry(environment.get("TOPICS_FILE"),
				ComposeFile.HOME.resolve("shared-events/src/main/resources/" + TopicCatalogue.RESOURCE));
		// The script creates what the catalogue lists and names no topic of its own.
		String script = Files.readString(ComposeFile.HOME.resolve("docker/kafka/create-topics.sh"));
		assertThat(TopicCatalogue.entries()).allSatisfy((topic) -> assertThat(script)
			.doesNotContainPattern("(?<![\\w.-])" + Pattern.quote(topic.name()) + "(?![\\w.-])"));
		// ComposeSettingsIT runs the script and proves that the services, run with these
		// settings, need no other topic.
	}

	@Test
	void everyoneReachesKafkaThroughItsListenerForContainers() {
		Map<String, String> kafka = this.compose.environment("kafka");
		String containerListener = listener(kafka.get("KAFKA_ADVERTISED_LISTENERS"),
				kafka.get("KAFKA_INTER_BROKER_LISTENER_NAME"));
		assertThat(containerListener).isEqualTo("kafka:19092");
		assertThat(kafka.get("KAFKA_LISTENERS")).contains(kafka.get("KAFKA_INTER_BROKER_LISTENER_NAME") + "://:19092");
		for (String service : SERVICES) {
			assertThat(this.compose.environment(service)).containsEntry("KAFKA_BOOTSTRAP_SERVERS", containerListener);
		}
		assertThat(this.compose.environment("kafka-topics")).containsEntry("BOOTSTRAP_SERVERS", containerListener);
		Map<String, Object> console = ComposeFile.yaml(ComposeFile.HOME.resolve("conduktor-platform-config.yaml"));
		List<?> clusters = (List<?>) console.get("clusters");
		assertThat(clusters).hasSize(1);
		assertThat(ComposeFile.map(clusters.get(0))).containsEntry("bootstrapservers", containerListener)
			.containsKeys("id", "name", "color");
		// The host's listener is the port compose publishes.
		assertThat(listener(kafka.get("KAFKA_ADVERTISED_LISTENERS"), "PLAINTEXT_HOST")).isEqualTo("localhost:9092");
		assertThat(this.compose.ports("kafka")).containsExactly("127.0.0.1:9092:9092");
	}

	/**
	 * With {@code docker-compose.cluster.yml}: three controllers and three brokers of one
	 * cluster, in isolated mode, whose defaults replicate every topic three times with
	 * two in sync; everyone that reaches Kafka is given every broker, and nothing passes
	 * a replication factor of its own.
	 */
	@Test
	void theClusterFileRunsThreeControllersAndThreeBrokersThatEveryoneReaches() {
		List<String> controllers = List.of("kafka-controller-1", "kafka-controller-2", "kafka-controller-3");
		List<String> brokers = List.of("kafka", "kafka-2", "kafka-3");
		String voters = "1@kafka-controller-1:9093,2@kafka-controller-2:9093,3@kafka-controller-3:9093";
		Set<String> clusterIds = new HashSet<>();
		Set<String> volumes = new HashSet<>();
		for (int i = 0; i < 3; i++) {
			Map<String, String> controller = this.withCluster.environment(controllers.get(i));
			assertThat(controller).as(controllers.get(i))
				.containsEntry("KAFKA_PROCESS_ROLES", "controller")
				.containsEntry("KAFKA_NODE_ID", String.valueOf(i + 1))
				.containsEntry("KAFKA_CONTROLLER_QUORUM_VOTERS", voters)
				.containsEntry("KAFKA_LISTENERS", "CONTROLLER://:9093")
				// The controllers create the topics, with their own defaults.
				.containsEntry("KAFKA_DEFAULT_REPLICATION_FACTOR", "3")
				.containsEntry("KAFKA_MIN_INSYNC_REPLICAS", "2");
			Map<String, String> broker = this.withCluster.environment(brokers.get(i));
			assertThat(broker).as(brokers.get(i))
				.containsEntry("KAFKA_PROCESS_ROLES", "broker")
				.containsEntry("KAFKA_NODE_ID", String.valueOf(i + 4))
				.containsEntry("KAFKA_CONTROLLER_QUORUM_VOTERS", voters)
				.containsEntry("KAFKA_MIN_INSYNC_REPLICAS", "2")
				.containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "3")
				.containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "3")
				.containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "2")
				.containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
			assertThat(listener(broker.get("KAFKA_ADVERTISED_LISTENERS"), "PLAINTEXT"))
				.isEqualTo(brokers.get(i) + ":19092");
			// What the broker tells clients on the host is the port compose publishes.
			String hostListener = listener(broker.get("KAFKA_ADVERTISED_LISTENERS"), "PLAINTEXT_HOST");
			assertThat(this.withCluster.ports(brokers.get(i)))
				.containsExactly("127.0.0.1:" + hostListener.substring("localhost:".length()) + ":9092");
			assertThat(String
				.valueOf(ComposeFile.map(this.withCluster.service(brokers.get(i)).get("healthcheck")).get("test")))
				.contains("--bootstrap-server " + brokers.get(i) + ":19092");
			clusterIds.add(controller.get("CLUSTER_ID"));
			clusterIds.add(broker.get("CLUSTER_ID"));
			volumes.add(String.valueOf(this.withCluster.service(controllers.get(i)).get("volumes")));
			volumes.add(String.valueOf(this.withCluster.service(brokers.get(i)).get("volumes")));
		}
		// One cluster, not the single broker's: its data is in volumes of its own.
		assertThat(clusterIds).hasSize(1).doesNotContain(this.compose.environment("kafka").get("CLUSTER_ID"));
		assertThat(volumes).hasSize(6).doesNotContain(String.valueOf(this.compose.service("kafka").get("volumes")));

		String allBrokers = "kafka:19092,kafka-2:19092,kafka-3:19092";
		for (String service : SERVICES) {
			assertThat(this.withCluster.environment(service)).containsEntry("KAFKA_BOOTSTRAP_SERVERS", allBrokers)
				// Kafka Streams commits as on ./run's cluster; on one broker, as the
				// services' defaults say.
				.containsEntry("COMMIT_INTERVAL_MS", String.valueOf(SuiteRunner.CLUSTER_COMMIT_INTERVAL.toMillis()));
			assertThat(this.compose.environment(service)).doesNotContainKey("COMMIT_INTERVAL_MS");
		}
		assertThat(this.withCluster.environment("kafka-topics")).containsEntry("BOOTSTRAP_SERVERS", allBrokers)
			.doesNotContainKeys(Replication.FACTOR_VARIABLE, Replication.MIN_INSYNC_VARIABLE);
		assertThat(ComposeFile.map(this.withCluster.service("kafka-topics").get("depends_on")))
			.containsKeys(brokers.toArray(String[]::new));
		// Console's cluster entry in its file names the first broker; the variable, which
		// Console reads over the file, names all three.
		assertThat(this.withCluster.environment("conduktor-console")).containsEntry("CDK_CLUSTERS_0_BOOTSTRAPSERVERS",
				allBrokers);
	}

	@Test
	void theKafkaContainerHasEveryValueASingleKraftNodeNeeds() {
		assertThat(this.compose.environment("kafka"))
			.containsKeys("CLUSTER_ID", "KAFKA_NODE_ID", "KAFKA_PROCESS_ROLES", "KAFKA_CONTROLLER_QUORUM_VOTERS",
					"KAFKA_LISTENERS", "KAFKA_ADVERTISED_LISTENERS", "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP",
					"KAFKA_INTER_BROKER_LISTENER_NAME", "KAFKA_CONTROLLER_LISTENER_NAMES", "KAFKA_LOG_DIRS",
					"KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
					"KAFKA_TRANSACTION_STATE_LOG_MIN_ISR")
			.containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
			.containsEntry("KAFKA_LOG_DIRS", "/var/lib/kafka/data");
		assertThat(this.compose.service("kafka").get("volumes")).isEqualTo(List.of("kafka-data:/var/lib/kafka/data"));
		assertThat(String.valueOf(ComposeFile.map(this.compose.service("kafka").get("healthcheck")).get("test")))
			.contains("--bootstrap-server kafka:19092");
	}

	@Test
	void theBrokerAndItsHealthCheckFitTheContainersMemoryWithRoomForThePageCache() {
		Map<String, Object> kafka = this.compose.service("kafka");
		List<?> healthCheck = (List<?>) ComposeFile.map(kafka.get("healthcheck")).get("test");
		// The check runs in the broker's container, whose KAFKA_HEAP_OPTS the tool would
		// otherwise take: it needs its own.
		Matcher toolHeap = Pattern.compile("^KAFKA_HEAP_OPTS=(\\S+) /opt/kafka/bin/")
			.matcher(healthCheck.get(1).toString());
		assertThat(toolHeap.find()).as(healthCheck.toString()).isTrue();
		long tool = maxHeap(toolHeap.group(1));
		assertThat(tool).isLessThanOrEqualTo(64 * MB);
		long broker = maxHeap(this.compose.environment("kafka").get("KAFKA_HEAP_OPTS"));
		// Each JVM needs about 128 MB besides its heap (metaspace, code, threads),
		// and the page cache Kafka reads and writes through counts against the limit.
		long pageCache = 128 * MB;
		assertThat(broker + tool + 2 * 128 * MB + pageCache).isLessThanOrEqualTo(bytes(kafka.get("mem_limit")));
	}

	@Test
	void everyServiceSettingIsOneTheServiceReads() throws IOException {
		String shared = Files
			.readString(ComposeFile.HOME.resolve("service-support/src/main/resources/saga-defaults.yml"));
		for (String service : SERVICES) {
			String own = Files.readString(ComposeFile.HOME.resolve(service + "/src/main/resources/application.yml"));
			Set<String> read = placeholders(shared + own);
			Map<String, String> environment = this.compose.environment(service);
			for (String name : environment.keySet()) {
				// Spring Boot's own name for management.server.address, which
				// saga-defaults.yml sets; and every JVM's options.
				if (!name.equals("JAVA_TOOL_OPTIONS") && !name.equals("MANAGEMENT_SERVER_ADDRESS")) {
					assertThat(read).as(service + " reads " + name).contains(name);
				}
			}
			int port = Integer.parseInt(environment.get("SERVER_PORT"));
			// Actuator's port: the API's plus 1,000 (ManagementPortDefault).
			int management = port + 1000;
			assertThat(this.compose.ports(service)).as(service).hasSize(2);
			assertThat(this.compose.ports(service).get(0)).as(service).endsWith(":" + port);
			assertThat(this.compose.ports(service).get(1)).as(service).endsWith(":" + management);
			assertThat(String.valueOf(ComposeFile.map(this.compose.service(service).get("healthcheck")).get("test")))
				.contains("http://localhost:" + management + "/actuator/health");
			assertThat(ComposeFile.map(this.compose.service(service).get("depends_on"))).containsEntry("kafka-topics",
					Map.of("condition", "service_completed_successfully"));
		}
		assertThat(this.compose.ports("order-service")).containsExactly("127.0.0.1:8081:8081", "127.0.0.1:9081:9081");
		assertThat(this.compose.ports("payment-service")).containsExactly("127.0.0.1:8082:8082", "127.0.0.1:9082:9082");
		assertThat(this.compose.ports("notification-service")).containsExactly("127.0.0.1:8083:8083",
				"127.0.0.1:9083:9083");
	}

	@Test
	void everyPortIsPublishedOnThisMachineOnlyAndActuatorsEvenWhenTheRestIsOpened() {
		for (ComposeFile file : List.of(this.compose, this.withMonitoring, this.withCluster, this.withSecure)) {
			for (String service : file.services().keySet()) {
				assertThat(file.ports(service)).as(service).allMatch((port) -> port.startsWith("127.0.0.1:"));
			}
		}
		assertThat(this.compose.dotEnv()).containsEntry("BIND_ADDRESS", "127.0.0.1");
		for (String service : SERVICES) {
			List<?> raw = (List<?>) this.compose.service(service).get("ports");
			assertThat(raw.get(0).toString()).as(service).startsWith("${BIND_ADDRESS:-127.0.0.1}:");
			// Actuator: on the host's loopback whatever BIND_ADDRESS says.
			assertThat(raw.get(1).toString()).as(service).startsWith("127.0.0.1:");
			assertThat(this.compose.environment(service)).containsEntry("MANAGEMENT_SERVER_ADDRESS", "0.0.0.0");
		}
	}

	/**
	 * With {@code docker-compose.secure.yml}: the secrets job hands each container a
	 * volume of its own with only its own passwords, mounted read-only; only Kafka's own
	 * containers see the brokers' keys; every principal the access rules name gets a
	 * password, and the topic job applies the rules the code reads.
	 */
	@Test
	void inSecureModeEachContainerSeesOnlyItsOwnSecrets() {
		Map<String, String> job = this.withSecure.environment("kafka-secrets");
		Map<String, List<String>> shares = new LinkedHashMap<>();
		for (String share : job.get("SHARES").strip().split("\\s+")) {
			shares.put(share.substring(0, share.indexOf('=')),
					List.of(share.substring(share.indexOf('=') + 1).split(",")));
		}
		Map<String, String> handedOut = new LinkedHashMap<>();
		this.withSecure.volumes("kafka-secrets").forEach((target, volume) -> {
			if (target.startsWith(job.get("SHARES_DIR") + "/")) {
				handedOut.put(volume, target.substring(job.get("SHARES_DIR").length() + 1));
			}
		});
		assertThat(handedOut.values()).containsExactlyInAnyOrderElementsOf(shares.keySet());
		Map<String, List<String>> mountedBy = new LinkedHashMap<>();
		for (String service : this.withSecure.services().keySet()) {
			for (Object raw : (List<?>) this.withSecure.service(service).getOrDefault("volumes", List.of())) {
				String[] parts = String.valueOf(raw).split(":");
				if (handedOut.containsKey(parts[0]) || parts[0].equals("secrets")) {
					mountedBy.computeIfAbsent(parts[0], (volume) -> new ArrayList<>()).add(service);
					if (!service.equals("kafka-secrets")) {
						assertThat(String.valueOf(raw)).as(service).endsWith(":ro");
					}
				}
			}
		}
		assertThat(mountedBy.get("secrets")).containsExactlyInAnyOrder("kafka-secrets", "kafka", "kafka-topics");
		handedOut.forEach((volume, share) -> assertThat(mountedBy.get(volume)).as(volume)
			.containsExactlyInAnyOrder("kafka-secrets", share.equals("console") ? "conduktor-console" : share));
		for (String service : SERVICES) {
			assertThat(shares.get(service)).containsExactly(service);
			Map<String, String> environment = this.withSecure.environment(service);
			assertThat(environment.get("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG"))
				.contains("username=\"" + service + "\"", "password=\"${passwords." + service + "}\"");
			assertThat(environment).containsEntry("SPRING_CONFIG_IMPORT", "configtree:/etc/order-saga/secrets/")
				.containsEntry("SPRING_PROFILES_ACTIVE", "secure");
		}
		assertThat(shares.get("console")).containsExactly(KafkaSecrets.ADMIN);
		assertThat(shares.get("auth-service")).containsExactlyInAnyOrder("alice", "bob", "carol", "operator",
				"order-saga-cli");
		// Every principal the rules name: the script's default principals are the
		// services', and the topic job reads the rules the code reads.
		assertThat(shares.values().stream().flatMap(List::stream)).containsAll(KafkaAccess.principals());
		Map<String, String> topics = this.withSecure.environment("kafka-topics");
		assertThat(this.withSecure.mounts("kafka-topics")).containsEntry(topics.get("ACLS_FILE"),
				ComposeFile.HOME.resolve("shared-events/src/main/resources/" + KafkaAccess.RESOURCE));
		assertThat(List.of(job.get("BROKER_HOSTS").split(","))).contains("kafka", "localhost");
		assertThat(this.withSecure.environment("kafka").get("KAFKA_ADVERTISED_LISTENERS")).doesNotContain("PLAINTEXT");
	}

	/**
	 * The registry runs with a health check, the registration job runs the contract's
	 * registration against it once it is healthy, and Console reads the same registry.
	 */
	@Test
	void theContractIsRegisteredInTheRegistryConsoleReads() {
		Map<String, Object> registry = this.compose.service("schema-registry");
		assertThat(String.valueOf(registry.get("image"))).startsWith("apicurio/apicurio-registry:3.");
		assertThat(ComposeFile.map(registry.get("healthcheck")).get("test")).asString()
			.contains("http://localhost:9000/health/ready");
		Map<String, Object> job = this.compose.service("schema-registration");
		assertThat(job.get("image")).isEqualTo(this.compose.service("order-service").get("image"));
		assertThat(job).containsEntry("pull_policy", "never").containsEntry("restart", "no");
		assertThat(String.valueOf(job.get("entrypoint"))).contains(SchemaRegistration.class.getName());
		assertThat(ComposeFile.map(ComposeFile.map(job.get("depends_on")).get("schema-registry")))
			.containsEntry("condition", "service_healthy");
		String api = this.compose.environment("schema-registration").get("SCHEMA_REGISTRY_URL");
		assertThat(api).isEqualTo("http://schema-registry:8080/apis/ccompat/v7");
		Map<String, Object> cluster = ComposeFile.map(((List<?>) consoleConfiguration().get("clusters")).get(0));
		assertThat(ComposeFile.map(cluster.get("schemaregistry"))).containsEntry("url", api);
		assertThat(ComposeFile
			.map(ComposeFile.map(this.compose.service("conduktor-console").get("depends_on")).get("schema-registry")))
			.containsEntry("condition", "service_healthy");
	}

	/**
	 * Conduktor maps {@code CDK_CLUSTERS_0_BOOTSTRAPSERVERS} to the key
	 * {@code clusters[0].bootstrapservers}: a key the compose files override must be
	 * spelt so in the file, or Console would hold both spellings.
	 */
	@Test
	void everyConsoleKeyTheComposeFilesOverrideIsTheOneTheirVariableSets() {
		Map<String, String> overrides = new LinkedHashMap<>();
		for (ComposeFile file : List.of(this.compose, this.withMonitoring, this.withCluster, this.withSecure)) {
			overrides.putAll(file.environment("conduktor-console"));
		}
		Map<String, Object> console = consoleConfiguration();
		overrides.keySet()
			.stream()
			.filter((variable) -> variable.startsWith("CDK_") && !variable.equals("CDK_IN_CONF_FILE"))
			.forEach((variable) -> {
				Object node = console;
				for (String part : variable.substring("CDK_".length()).toLowerCase(Locale.ROOT).split("_")) {
					if (node instanceof List<?> list && part.matches("\\d+")) {
						node = list.get(Integer.parseInt(part));
					}
					else if (node instanceof Map<?, ?> map && map.containsKey(part)) {
						node = map.get(part);
					}
					else if (node instanceof Map<?, ?> map) {
						assertThat(map.keySet()).as(variable + ": no key spelt differently")
							.noneMatch((key) -> String.valueOf(key).replace("-", "").equalsIgnoreCase(part));
						return;
					}
				}
			});
	}

	/**
	 * With the monitoring file: Prometheus scrapes every service's Actuator at the port
	 * the service's health check uses, each service sends its spans to Tempo's OTLP
	 * receiver, and Grafana reads both through the data sources the dashboard names.
	 * {@code EndToEndIT} runs the Prometheus file and every query of the dashboard.
	 */
	@Test
	void theMonitoringFileScrapesEveryServiceSendsItsSpansToTempoAndShowsBothInGrafana() {
		Map<String, Object> prometheus = ComposeFile.yaml(ComposeFile.HOME.resolve(LocalPrometheus.CONFIGURATION));
		Map<String, String> targets = new LinkedHashMap<>();
		for (Object job : (List<?>) prometheus.get("scrape_configs")) {
			assertThat(ComposeFile.map(job)).containsEntry("metrics_path", "/actuator/prometheus");
			for (Object group : (List<?>) ComposeFile.map(job).get("static_configs")) {
				Map<String, Object> targetGroup = ComposeFile.map(group);
				targets.put(String.valueOf(ComposeFile.map(targetGroup.get("labels")).get("service")),
						String.valueOf(((List<?>) targetGroup.get("targets")).get(0)));
			}
		}
		Map<String, Object> tempo = ComposeFile.yaml(ComposeFile.HOME.resolve("docker/monitoring/tempo.yaml"));
		String otlp = String.valueOf(
				ComposeFile
					.map(ComposeFile.map(ComposeFile
						.map(ComposeFile.map(ComposeFile.map(tempo.get("distributor")).get("receivers")).get("otlp"))
						.get("protocols")).get("http"))
					.get("endpoint"));
		assertThat(otlp).isEqualTo("0.0.0.0:4318");
		assertThat(targets).containsOnlyKeys(SERVICES);
		for (String service : SERVICES) {
			int management = Integer.parseInt(this.withMonitoring.environment(service).get("SERVER_PORT")) + 1000;
			assertThat(targets).containsEntry(service, service + ":" + management);
			assertThat(ComposeFile.map(this.withMonitoring.service(service).get("healthcheck")).get("test")).asString()
				.contains("localhost:" + management + "/actuator/health");
			assertThat(this.withMonitoring.environment(service)).containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT",
					"http://tempo:4318");
			assertThat(this.compose.environment(service)).doesNotContainKey("OTEL_EXPORTER_OTLP_ENDPOINT");
		}
		assertThat(this.withMonitoring.mounts("prometheus")).containsEntry("/etc/prometheus/prometheus.yml",
				ComposeFile.HOME.resolve(LocalPrometheus.CONFIGURATION));
		assertThat(String.valueOf(this.withMonitoring.service("prometheus").get("command")))
			.contains("--config.file=/etc/prometheus/prometheus.yml");
		Ran check = ran(new ProcessBuilder("promtool", "check", "config",
				ComposeFile.HOME.resolve(LocalPrometheus.CONFIGURATION).toString()));
		assertThat(check.exitValue()).as(check.output()).isZero();

		// Grafana: the data sources at the containers' ports, the dashboard from the
		// directory its provider reads, and only data sources that are provisioned.
		Path provisioning = ComposeFile.HOME.resolve("docker/monitoring/grafana/provisioning");
		assertThat(this.withMonitoring.mounts("grafana")).containsEntry("/etc/grafana/provisioning", provisioning)
			.containsEntry("/var/lib/grafana/dashboards", SagaDashboard.FILE.getParent());
		Map<String, String> sources = new LinkedHashMap<>();
		for (Object source : (List<?>) ComposeFile.yaml(provisioning.resolve("datasources/order-saga.yaml"))
			.get("datasources")) {
			sources.put(String.valueOf(ComposeFile.map(source).get("uid")),
					String.valueOf(ComposeFile.map(source).get("url")));
		}
		assertThat(sources).containsEntry("prometheus", "http://prometheus:9090")
			.containsEntry("tempo", "http://tempo:" + ComposeFile.map(tempo.get("server")).get("http_listen_port"));
		Object provider = ((List<?>) ComposeFile.yaml(provisioning.resolve("dashboards/order-saga.yaml"))
			.get("providers")).get(0);
		assertThat(ComposeFile.map(ComposeFile.map(provider).get("options"))).containsEntry("path",
				"/var/lib/grafana/dashboards");
		assertThat(this.withMonitoring.environment("grafana")).containsEntry(
				"GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH",
				"/var/lib/grafana/dashboards/" + SagaDashboard.FILE.getFileName());
		Set<String> named = new HashSet<>();
		SagaDashboard.read().path("panels").forEach((panel) -> {
			named.add(panel.path("datasource").path("uid").asString());
			panel.path("targets").forEach((target) -> named.add(target.path("datasource").path("uid").asString()));
		});
		assertThat(sources.keySet()).containsAll(named);
		assertThat(SagaDashboard.queries()).anyMatch((query) -> query.contains("orders_saga_duration_seconds_bucket"))
			.anyMatch((query) -> query.contains("kafka_consumer_fetch_manager_records_lag"))
			.anyMatch((query) -> query.contains("saga_dead_letters_total"))
			.anyMatch((query) -> query.contains("orders_cancelled_total"));
	}

	@Test
	void everyImageIsPinned() {
		List<String> images = new ArrayList<>();
		Map<String, Object> services = new LinkedHashMap<>(this.withMonitoring.services());
		services.putAll(this.withCluster.services());
		services.putAll(this.withSecure.services());
		services.forEach((name, definition) -> {
			Object image = ComposeFile.map(definition).get("image");
			assertThat(image).as(name + " names its image").isNotNull();
			images.add(String.valueOf(image));
		});
		assertThat(images).allSatisfy((image) -> {
			String tag = image.substring(image.lastIndexOf(':') + 1);
			assertThat(image).contains(":");
			assertThat(tag).isNotEqualTo("latest").containsPattern("\\d");
		});
		// The broker the build's clients come with.
		assertThat(images).contains("apache/kafka:" + AppInfoParser.getVersion());
	}

	@Test
	void theConsoleAdminHasOneDefaultPasswordAndItPassesConduktorsPolicy() {
		Map<String, Object> console = ComposeFile.yaml(ComposeFile.HOME.resolve("conduktor-platform-config.yaml"));
		String inFile = String.valueOf(ComposeFile.map(console.get("admin")).get("password"));
		String inDotEnv = this.compose.dotEnv().get("CONDUKTOR_ADMIN_PASSWORD");
		assertThat(this.compose.defaultsOf("CONDUKTOR_ADMIN_PASSWORD")).containsOnly(inDotEnv);
		assertThat(inFile).isEqualTo(inDotEnv);
		assertThat(this.compose.environment("conduktor-console")).containsEntry("CDK_ADMIN_PASSWORD", inDotEnv)
			.containsEntry("CDK_IN_CONF_FILE", "/opt/conduktor/console-config.yaml");
		// At least 8 characters with an upper-case and a lower-case letter, a digit and a
		// symbol: Console refuses to start otherwise.
		assertThat(inDotEnv).hasSizeGreaterThanOrEqualTo(8)
			.containsPattern("[A-Z]")
			.containsPattern("[a-z]")
			.containsPattern("[0-9]")
			.containsPattern("[^A-Za-z0-9]");
	}

	@Test
	void theReadmeGivesTheConsoleLoginThatDotEnvCreates() throws IOException {
		String readme = Files.readString(ComposeFile.HOME.resolve("README.md"));
		Matcher login = Pattern.compile("log in as\\s+`([^`]+)`\\s+with the password\\s+`([^`]+)`").matcher(readme);
		assertThat(login.find()).isTrue();
		assertThat(login.group(1)).isEqualTo(this.compose.dotEnv().get("CONDUKTOR_ADMIN_EMAIL"));
		assertThat(this.compose.defaultsOf("CONDUKTOR_ADMIN_EMAIL")).containsOnly(login.group(1));
		assertThat(login.group(2)).isEqualTo(this.compose.dotEnv().get("CONDUKTOR_ADMIN_PASSWORD"));
		assertThat(login.find()).as("one login in the README").isFalse();
	}

	@Test
	void consoleUsesTheDatabaseThePostgresqlContainerCreates() {
		Map<String, Object> database = ComposeFile.map(consoleConfiguration().get("database"));
		Map<String, String> postgres = this.compose.environment("postgresql");
		assertThat(database.get("hosts")).isEqualTo(List.of(Map.of("host", "postgresql", "port", 5432)));
		assertThat(database).containsEntry("name", postgres.get("POSTGRES_DB"))
			.containsEntry("username", postgres.get("POSTGRES_USER"))
			.containsEntry("password", postgres.get("POSTGRES_PASSWORD"));
		// Console's environment wins over its file: its password is the one Postgres
		// was created with, from the same variable of .env.
		Map<String, Object> consoleEnvironment = ComposeFile
			.map(this.compose.service("conduktor-console").get("environment"));
		Map<String, Object> postgresEnvironment = ComposeFile
			.map(this.compose.service("postgresql").get("environment"));
		assertThat(consoleEnvironment.get("CDK_DATABASE_PASSWORD"))
			.isEqualTo(postgresEnvironment.get("POSTGRES_PASSWORD"));
		assertThat(consoleEnvironment.keySet()).filteredOn((name) -> name.startsWith("CDK_DATABASE_"))
			.containsExactly("CDK_DATABASE_PASSWORD");
		// Postgres counts as healthy when that database answers that user, and Console
		// waits for it.
		assertThat(
				((List<?>) ComposeFile.map(this.compose.service("postgresql").get("healthcheck")).get("test")).get(1))
			.isEqualTo("pg_isready --username=" + postgres.get("POSTGRES_USER") + " --dbname="
					+ postgres.get("POSTGRES_DB"));
		assertThat(ComposeFile.map(this.compose.service("conduktor-console").get("depends_on")))
			.containsEntry("postgresql", Map.of("condition", "service_healthy"));
	}

	@Test
	void consoleIsHealthyWhenItsReadinessEndpointAnswers() {
		Map<String, Object> healthCheck = ComposeFile.map(this.compose.service("conduktor-console").get("healthcheck"));
		List<?> test = (List<?>) healthCheck.get("test");
		assertThat(test.subList(0, 3)).isEqualTo(List.of("CMD", "curl", "--fail"));
		// The container's port, which CDK_LISTENING_PORT would change.
		assertThat(this.compose.environment("conduktor-console")).doesNotContainKey("CDK_LISTENING_PORT");
		assertThat(this.compose.ports("conduktor-console")).singleElement().asString().endsWith(":8080");
		assertThat(test.get(test.size() - 1)).isEqualTo("http://localhost:8080/api/health/ready");
		// Console sets up its database on the first start before it is ready.
		assertThat(healthCheck).containsEntry("start_period", "120s");
	}

	@Test
	void consoleIsPointedAtCortexOnlyWhenTheMonitoringFileRunsIt() {
		// docker-compose.yml alone: no Cortex, and no setting that expects one.
		assertThat(this.compose.services()).doesNotContainKey("conduktor-monitoring");
		assertThat(consoleConfiguration()).doesNotContainKey("monitoring");
		assertThat(this.compose.environment("conduktor-console").keySet())
			.noneMatch((name) -> name.startsWith("CDK_MONITORING"));
		// With docker-compose.monitoring.yml: Cortex runs, and Console is pointed at it.
		String cortex = "http://conduktor-monitoring:9009/";
		String consolePort = this.compose.ports("conduktor-console").get(0).split(":")[1];
		Map<String, String> console = this.withMonitoring.environment("conduktor-console");
		assertThat(console).containsAllEntriesOf(this.compose.environment("conduktor-console"))
			.containsEntry("CDK_MONITORING_CORTEX-URL", cortex)
			// Console 1.46 moved the alert manager's API to Cortex's port.
			.containsEntry("CDK_MONITORING_ALERT-MANAGER-URL", cortex)
			.containsEntry("CDK_MONITORING_CALLBACK-URL", "http://conduktor-console:8080/monitoring/api/")
			.containsEntry("CDK_MONITORING_NOTIFICATIONS-CALLBACK-URL", "http://localhost:" + consolePort);
		String consoleImage = String.valueOf(this.compose.service("conduktor-console").get("image"));
		assertThat(this.withMonitoring.service("conduktor-monitoring")).containsEntry("image",
				consoleImage.replace("conduktor-console:", "conduktor-console-cortex:"));
		assertThat(this.withMonitoring.environment("conduktor-monitoring")).containsEntry("CDK_CONSOLE-URL",
				"http://conduktor-console:8080");
	}

	@Test
	void everyJvmOfTheStackGetsTheExtraJvmOptionsOfDotEnv() {
		String options = this.compose.dotEnv().get("JAVA_TOOL_OPTIONS");
		assertThat(options).as("empty unless a machine needs them").isEmpty();
		assertThat(this.withMonitoring.defaultsOf("JAVA_TOOL_OPTIONS")).containsOnly(options);
		this.withMonitoring.services().forEach((name, definition) -> {
			String image = String.valueOf(ComposeFile.map(definition).get("image")).replaceFirst(":[^:/]+$", "");
			// A new image has to be sorted into one of the two.
			assertThat(image).as(name).isIn(union(JVM_IMAGES, IMAGES_WITHOUT_JVM));
			if (JVM_IMAGES.contains(image)) {
				assertThat(this.withMonitoring.environment(name)).as(name).containsEntry("JAVA_TOOL_OPTIONS", options);
			}
			Object build = ComposeFile.map(definition).get("build");
			if (build != null) {
				Map<String, Object> args = ComposeFile.map(ComposeFile.map(build).get("args"));
				assertThat(args).as(name + " builds with it").containsKey("JAVA_TOOL_OPTIONS");
				assertThat(this.withMonitoring.interpolate(String.valueOf(args.get("JAVA_TOOL_OPTIONS"))))
					.isEqualTo(options);
			}
		});
		// The cluster's Kafka nodes, and secure mode's jobs and issuer, too.
		for (ComposeFile file : List.of(this.withCluster, this.withSecure)) {
			file.services().forEach((name, definition) -> {
				String image = String.valueOf(ComposeFile.map(definition).get("image")).replaceFirst(":[^:/]+$", "");
				if (JVM_IMAGES.contains(image)) {
					assertThat(file.environment(name)).as(name).containsEntry("JAVA_TOOL_OPTIONS", options);
				}
			});
		}
		// In the image: Maven and the training run see the build argument, and the
		// service starts with it.
		for (Dockerfile.Stage stage : Dockerfile.stages()) {
			assertThat(stage.arguments("ARG")).as(stage.name()).contains("JAVA_TOOL_OPTIONS=\"\"");
		}
		assertThat(Dockerfile.stage("runtime").arguments("ENV"))
			.anySatisfy((env) -> assertThat(env).contains("JAVA_TOOL_OPTIONS=\"${JAVA_TOOL_OPTIONS}\""));
		// The empty default leaves a JVM as it is.
		ProcessBuilder java = new ProcessBuilder(java(), "-version");
		java.environment().put("JAVA_TOOL_OPTIONS", options);
		assertThat(ran(java).exitValue()).isZero();
	}

	@Test
	void everyBaseImageOfTheDockerfileIsPinnedToAFullVersion() {
		assertThat(Dockerfile.stages()).extracting(Dockerfile.Stage::image).allSatisfy((image) -> {
			assertThat(image).contains(":").doesNotContain("latest");
			// major.minor.patch, then the variant, as in 25.0.3_9-jre
			assertThat(image.substring(image.lastIndexOf(':') + 1)).matches("\\d+\\.\\d+\\.\\d+([._-].+)?");
		});
	}

	@Test
	void theImageIsBuiltWithTheWrappersMavenOnJdk25AndRunsOnAJre25() throws IOException {
		Properties wrapper = new Properties();
		try (Reader reader = Files
			.newBufferedReader(ComposeFile.HOME.resolve(".mvn/wrapper/maven-wrapper.properties"))) {
			wrapper.load(reader);
		}
		Matcher maven = Pattern.compile("/apache-maven-([^/]+)-bin\\.").matcher(wrapper.getProperty("distributionUrl"));
		assertThat(maven.find()).isTrue();
		assertThat(Dockerfile.stage("build").image()).isEqualTo("maven:" + maven.group(1) + "-eclipse-temurin-25");
		assertThat(Dockerfile.stage("runtime").image()).matches("eclipse-temurin:25\\.[0-9._]+-jre");
		// The service's image is the last stage, the one docker compose runs.
		assertThat(Dockerfile.stages().get(Dockerfile.stages().size() - 1).name()).isEqualTo("runtime");
	}

	@Test
	void theServiceRunsAsAUserWithoutPrivileges() {
		Dockerfile.Stage runtime = Dockerfile.stage("runtime");
		List<String> users = runtime.arguments("USER");
		assertThat(users).isNotEmpty();
		String user = users.get(users.size() - 1);
		assertThat(user.split(":")[0]).isNotIn("root", "0");
		// A system account created in the image (the last word of its useradd), and
		// given the directories it writes to.
		assertThat(runtime.arguments("RUN")).anySatisfy((run) -> {
			Matcher useradd = Pattern.compile("useradd --system [^&;]*\\s(\\S+)\\s*(&&|;|$)").matcher(run);
			assertThat(useradd.find()).isTrue();
			assertThat(useradd.group(1)).isEqualTo(user);
			assertThat(run).contains("chown " + user + ":" + user + " /app /var/lib/order-saga");
		});
		List<Dockerfile.Instruction> instructions = runtime.instructions();
		assertThat(indexOf(instructions, "USER", user)).isLessThan(indexOf(instructions, "ENTRYPOINT", "java"));
	}

	@Test
	void theAotTrainingRunPrintsItsLogWhenItFailsOrLeavesNoCache(@TempDir Path dir) throws IOException {
		Ran failed = train(dir.resolve("failing"), "echo \"APPLICATION FAILED TO START with $*\"; exit 1");
		assertThat(failed.exitValue()).isNotZero();
		assertThat(failed.output())
			.contains("APPLICATION FAILED TO START with -XX:AOTCacheOutput=app.aot -XX:+UseSerialGC");
		Ran noCache = train(dir.resolve("no-cache"), "echo 'Unable to write the AOT cache'");
		assertThat(noCache.exitValue()).isNotZero();
		assertThat(noCache.output()).contains("Unable to write the AOT cache");
	}

	@Test
	void theAotTrainingRunLeavesOnlyTheCacheWhenItWorks(@TempDir Path dir) throws IOException {
		Ran trained = train(dir, "echo 'Started in 2 seconds'; echo cache > app.aot");
		assertThat(trained.exitValue()).as(trained.output()).isZero();
		assertThat(trained.output()).isEmpty();
		try (Stream<Path> files = Files.list(dir)) {
			assertThat(files.map((file) -> file.getFileName().toString())).containsExactlyInAnyOrder("bin", "app.aot");
		}
	}

	@Test
	void theAotCacheIsTrainedWithTheJvmOptionsTheServiceStartsWith() {
		List<Dockerfile.Instruction> runtime = Dockerfile.stage("runtime").instructions();
		int training = indexOf(runtime, "RUN", "-XX:AOTCacheOutput=app.aot");
		int entryPoint = indexOf(runtime, "ENTRYPOINT", "-XX:AOTCache=app.aot");
		Matcher trained = JVM_COMMAND.matcher(runtime.get(training).arguments());
		Matcher started = JVM_COMMAND.matcher(runtime.get(entryPoint).arguments());
		assertThat(trained.find()).isTrue();
		assertThat(started.find()).isTrue();
		assertThat(jvmOptions(trained.group(1))).isEqualTo(jvmOptions(started.group(1))).contains("$JAVA_OPTS");
		assertThat(trained.group(2)).isEqualTo(started.group(2));
		// Nothing between the two changes the options or the user.
		assertThat(runtime.subList(training, entryPoint)).noneSatisfy((instruction) -> {
			assertThat(instruction.keyword()).isIn("ENV", "USER", "WORKDIR");
		});
	}

	@Test
	void theImageTrainsWithCompressedOopsOnABuildHostWithMuchMemory() {
		String env = String.join(" ", Dockerfile.stage("runtime").arguments("ENV"));
		Matcher javaOpts = Pattern.compile("JAVA_OPTS=\"([^\"]*)\"").matcher(env);
		assertThat(javaOpts.find()).isTrue();
		List<String> command = new ArrayList<>(List.of(java()));
		command.addAll(List.of(javaOpts.group(1).split(" ")));
		// MaxRAM stands in for the build host's memory; the container has 512 MB.
		command.addAll(List.of("-XX:MaxRAM=64g", "-XX:+PrintFlagsFinal", "-version"));
		Ran flags = ran(new ProcessBuilder(command));
		assertThat(flags.exitValue()).as(flags.output()).isZero();
		assertThat(flags.output()).containsPattern("\\bUseCompressedOops\\s+= true\\b");
	}

	/** The address a listener advertises, from {@code NAME://host:port,...}. */
	private static String listener(String listeners, String name) {
		Map<String, String> byName = new LinkedHashMap<>();
		for (String listener : listeners.split(",")) {
			byName.put(listener.substring(0, listener.indexOf("://")), listener.substring(listener.indexOf("://") + 3));
		}
		return byName.get(name);
	}

	private static Set<String> placeholders(String yaml) {
		Set<String> names = new HashSet<>();
		Matcher matcher = Pattern.compile("\\$\\{([A-Z0-9_]+)[:}]").matcher(yaml);
		while (matcher.find()) {
			names.add(matcher.group(1));
		}
		return names;
	}

	private static Map<String, Object> consoleConfiguration() {
		return ComposeFile.yaml(ComposeFile.HOME.resolve("conduktor-platform-config.yaml"));
	}

	/** The maximum heap that JVM options give, from their {@code -Xmx}. */
	private static long maxHeap(String options) {
		Matcher xmx = Pattern.compile("-Xmx(\\d+[kmgKMG]?)").matcher(options);
		assertThat(xmx.find()).as(options).isTrue();
		return bytes(xmx.group(1));
	}

	/** A size as compose and the JVM write it: {@code 512m}, {@code 1g}. */
	private static long bytes(Object size) {
		Matcher matcher = Pattern.compile("(\\d+)([kmg]?)b?").matcher(size.toString().toLowerCase(Locale.ROOT));
		assertThat(matcher.matches()).as(size.toString()).isTrue();
		long number = Long.parseLong(matcher.group(1));
		return switch (matcher.group(2)) {
			case "k" -> number * 1024;
			case "m" -> number * MB;
			case "g" -> number * 1024 * MB;
			default -> number;
		};
	}

	/**
	 * Runs the Dockerfile's training command as its {@code RUN} does, with a stand-in
	 * {@code java} that behaves as the script given.
	 */
	private static Ran train(Path dir, String java) throws IOException {
		List<Dockerfile.Instruction> runtime = Dockerfile.stage("runtime").instructions();
		String command = runtime.get(indexOf(runtime, "RUN", "-XX:AOTCacheOutput=app.aot")).arguments();
		Path bin = Files.createDirectories(dir.resolve("bin"));
		Path fake = Files.writeString(bin.resolve("java"), "#!/bin/sh\n" + java + "\n");
		Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
		ProcessBuilder run = new ProcessBuilder("sh", "-c", command).directory(dir.toFile());
		run.environment().put("PATH", bin + File.pathSeparator + System.getenv("PATH"));
		run.environment().put("JAVA_OPTS", "-XX:+UseSerialGC");
		return ran(run);
	}

	/**
	 * The JVM options of a command line, without the cache's own and system properties.
	 */
	private static Set<String> jvmOptions(String options) {
		Set<String> jvm = new HashSet<>(List.of(options.split("\\s+")));
		jvm.removeIf((option) -> option.startsWith("-XX:AOTCache") || option.startsWith("-D"));
		return jvm;
	}

	private static int indexOf(List<Dockerfile.Instruction> instructions, String keyword, String containing) {
		for (int i = 0; i < instructions.size(); i++) {
			if (instructions.get(i).keyword().equals(keyword) && instructions.get(i).arguments().contains(containing)) {
				return i;
			}
		}
		throw new IllegalStateException("No " + keyword + " with " + containing);
	}

	private static Set<String> union(Set<String> one, Set<String> other) {
		Set<String> union = new HashSet<>(one);
		union.addAll(other);
		return union;
	}

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static Ran ran(ProcessBuilder command) {
		try {
			Process process = command.redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
			return new Ran(process.exitValue(), output);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** How a command ended and what it printed. */
	private record Ran(int exitValue, String output) {
	}

}
