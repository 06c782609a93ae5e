package io.ordersaga.runner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.ordersaga.events.Topic;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docker-compose.yml}, {@code .env}, the topic provisioning script and
 * {@code conduktor-platform-config.yaml} checked against each other and against the code,
 * without a Docker engine. {@link ComposeSettingsIT} runs the same settings.
 */
class ComposeFileTests {

	private static final List<String> SERVICES = List.of("order-service", "payment-service", "notification-service");

	private final ComposeFile compose = ComposeFile.read();

	@Test
	void dockerComposeAcceptsTheFile() throws Exception {
		Process process = new ProcessBuilder("docker-compose", "-f", "docker-compose.yml", "config", "-q")
			.directory(ComposeFile.HOME.toFile())
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(process.exitValue()).as(output).isZero();
	}

	@Test
	void theProvisionedTopicsAreTheCatalogueAndTheServicesOwnTopics() {
		Map<String, ComposeFile.ProvisionedTopic> provisioned = ComposeFile.provisionedTopics();
		for (Topic topic : Topic.values()) {
			for (String name : List.of(topic.topicName(), topic.deadLetterTopicName())) {
				assertThat(provisioned).containsKey(name);
				assertThat(provisioned.get(name).partitions()).as(name).isEqualTo(topic.partitions());
			}
		}
		assertThat(provisioned).containsKeys("payment-account-commands", "payment-account-commands-dlt",
				"payment-accounts", "notification-webhooks", "notification-webhooks-dlt");
		assertThat(provisioned.get("payment-accounts").configs()).containsEntry("cleanup.policy", "compact");
		assertThat(provisioned).hasSize(11);
		// ComposeSettingsIT proves that the services, run with these settings, need no
		// other topic.
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
		assertThat(ComposeFile.map(clusters.get(0))).containsEntry("bootstrapServers", containerListener)
			.containsKeys("id", "name", "color");
		// The host's listener is the port compose publishes.
		assertThat(listener(kafka.get("KAFKA_ADVERTISED_LISTENERS"), "PLAINTEXT_HOST")).isEqualTo("localhost:9092");
		assertThat(this.compose.ports("kafka")).containsExactly("9092:9092");
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
	void everyServiceSettingIsOneTheServiceReads() throws IOException {
		String shared = Files
			.readString(ComposeFile.HOME.resolve("service-support/src/main/resources/saga-defaults.yml"));
		for (String service : SERVICES) {
			String own = Files.readString(ComposeFile.HOME.resolve(service + "/src/main/resources/application.yml"));
			Set<String> read = placeholders(shared + own);
			Map<String, String> environment = this.compose.environment(service);
			for (String name : environment.keySet()) {
				if (!name.equals("JAVA_TOOL_OPTIONS")) {
					assertThat(read).as(service + " reads " + name).contains(name);
				}
			}
			String port = environment.get("SERVER_PORT");
			assertThat(this.compose.ports(service)).as(service).hasSize(1);
			assertThat(this.compose.ports(service).get(0)).as(service).endsWith(":" + port);
			assertThat(String.valueOf(ComposeFile.map(this.compose.service(service).get("healthcheck")).get("test")))
				.contains("http://localhost:" + port + "/actuator/health");
			assertThat(ComposeFile.map(this.compose.service(service).get("depends_on"))).containsEntry("kafka-topics",
					Map.of("condition", "service_completed_successfully"));
		}
		assertThat(this.compose.ports("order-service")).containsExactly("8081:8081");
		assertThat(this.compose.ports("payment-service")).containsExactly("8082:8082");
		assertThat(this.compose.ports("notification-service")).containsExactly("8083:8083");
	}

	@Test
	void everyImageIsPinned() {
		List<String> images = new ArrayList<>();
		this.compose.services().forEach((name, definition) -> {
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
		assertThat(this.compose.service("conduktor-monitoring")).containsEntry("profiles", List.of("monitoring"));
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

}
