package io.ordersaga.events;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The AsyncAPI document against the code it is generated from, against the copy in
 * {@code docs/}, and through the official AsyncAPI parser from npm.
 */
class AsyncApiTests {

	private static final Path HOME = Path.of("..").toAbsolutePath().normalize();

	private static final Path DOCS = HOME.resolve("docs/asyncapi.json");

	/** The parser's version, installed from the npm registry into the build directory. */
	private static final String PARSER = "@asyncapi/parser@3.6.6";

	private final ObjectNode document = AsyncApi.document();

	@Test
	void everyTopicOfTheCatalogueIsAChannelWithItsPartitions() {
		Set<String> channels = Set.copyOf(this.document.path("channels").propertyNames());
		assertThat(channels).containsExactlyInAnyOrderElementsOf(
				TopicCatalogue.entries().stream().map(TopicCatalogue.Entry::name).toList());
		for (TopicCatalogue.Entry entry : TopicCatalogue.entries()) {
			JsonNode kafka = this.document.path("channels").path(entry.name()).path("bindings").path("kafka");
			assertThat(kafka.path("partitions").asInt()).as(entry.name()).isEqualTo(entry.partitions());
		}
	}

	@Test
	void everyEventTypeIsAMessageOfItsTopicWithItsSchemaAndKey() {
		for (EventType type : EventType.values()) {
			JsonNode channel = this.document.path("channels").path(type.topic().topicName());
			assertThat(channel.path("messages").path(type.token()).path("$ref").asString())
				.isEqualTo("#/components/messages/" + type.token());
			JsonNode message = this.document.path("components").path("messages").path(type.token());
			assertThat(message.path("payload").path("schema").path("$id").asString())
				.isEqualTo("urn:ordersaga:schema:" + type.token() + ":v" + type.schemaVersion());
			assertThat(message.path("headers").path("properties").propertyNames()).contains("content-type",
					"traceparent");
			assertThat(message.path("bindings").path("kafka").path("key").path("type").asString()).isEqualTo("string");
		}
		assertThat(this.document.path("components")
			.path("messages")
			.path("DeadLetter")
			.path("headers")
			.path("properties")
			.propertyNames()).contains("kafka_dlt-original-topic", "kafka_dlt-exception-message");
	}

	@Test
	void whoSendsAndWhoReceivesIsWhatTheAccessRulesAllow() {
		List<String> expected = new ArrayList<>();
		for (KafkaAccess.Rule rule : KafkaAccess.rules()) {
			if (rule.resourceType() != ResourceType.TOPIC || rule.patternType() != PatternType.LITERAL) {
				continue;
			}
			if (rule.operations().contains(AclOperation.WRITE)) {
				expected.add(rule.principal() + "-sends-" + rule.name());
			}
			if (rule.operations().contains(AclOperation.READ) && !rule.name().endsWith(Topic.DEAD_LETTER_SUFFIX)) {
				expected.add(rule.principal() + "-receives-" + rule.name());
			}
		}
		assertThat(this.document.path("operations").propertyNames()).containsExactlyInAnyOrderElementsOf(expected);
		// The rule that matters most: only payment-service sends payment outcomes.
		assertThat(this.document.path("operations").propertyNames())
			.filteredOn((operation) -> operation.endsWith("-sends-payments"))
			.containsExactly("payment-service-sends-payments");
	}

	@Test
	void eachServicesPartHasItsOperationsAndWhatTheyUseOnly() {
		for (String service : KafkaAccess.principals()) {
			ObjectNode part = AsyncApi.ownedBy(service);
			assertThat(part.path("operations").propertyNames()).isNotEmpty()
				.allSatisfy((operation) -> assertThat(operation).startsWith(service + "-"));
			for (JsonNode operation : part.path("operations")) {
				String channel = operation.path("channel").path("$ref").asString().substring("#/channels/".length());
				assertThat(part.path("channels").has(channel)).as(channel).isTrue();
			}
		}
		assertThat(AsyncApi.ownedBy("order-service").path("channels").propertyNames())
			.doesNotContain("payment-account-commands");
		assertThatIllegalArgumentException().isThrownBy(() -> AsyncApi.ownedBy("mallory"))
			.withMessage("No service of the suite is called mallory");
	}

	/**
	 * The copy in {@code docs/} is the generated document. After a change to the topics,
	 * the events or the rules:
	 * {@code ./mvnw -pl shared-events test -Dtest=AsyncApiTests -Dasyncapi.update=true}.
	 */
	@Test
	void theDocumentInDocsIsTheGeneratedOne() throws IOException {
		String generated = AsyncApi.text(this.document);
		if (Boolean.getBoolean("asyncapi.update")) {
			Files.writeString(DOCS, generated);
		}
		assertThat(Files.exists(DOCS)).as(DOCS + " exists").isTrue();
		assertThat(Files.readString(DOCS))
			.as("docs/asyncapi.json is out of date; write it anew with "
					+ "./mvnw -pl shared-events test -Dtest=AsyncApiTests -Dasyncapi.update=true")
			.isEqualTo(generated);
	}

	@Test
	void theOfficialParserAcceptsTheWholeDocumentAndEachServicesPart() throws Exception {
		Path parser = Path.of("target", "asyncapi-parser").toAbsolutePath();
		Files.createDirectories(parser);
		// Installed here each time (npm keeps what is already there): nothing outside the
		// build directory, nothing from an earlier run relied on.
		run(parser, "npm", "install", "--no-audit", "--no-fund", "--no-save", "--loglevel=error", PARSER);
		try (InputStream script = getClass().getResourceAsStream("/asyncapi/validate.mjs")) {
			Files.write(parser.resolve("validate.mjs"), script.readAllBytes());
		}
		List<String> command = new ArrayList<>(List.of("node", "validate.mjs"));
		Path whole = parser.resolve("asyncapi.json");
		Files.writeString(whole, AsyncApi.text(this.document));
		command.add(whole.toString());
		for (String service : KafkaAccess.principals()) {
			Path part = parser.resolve(service + ".json");
			Files.writeString(part, AsyncApi.text(AsyncApi.ownedBy(service)));
			command.add(part.toString());
		}
		String output = run(parser, command.toArray(String[]::new));
		// Not a warning, not a hint: every line says a document is valid.
		assertThat(output.lines()).hasSize(1 + KafkaAccess.principals().size())
			.allMatch((line) -> line.contains(": valid AsyncAPI " + AsyncApi.VERSION + ", "));
		assertThat(output).contains(whole + ": valid");
		for (String service : KafkaAccess.principals()) {
			assertThat(output).contains(parser.resolve(service + ".json") + ": valid");
		}

		// The check can fail: an operation on a channel the document does not have.
		ObjectNode broken = AsyncApi.document();
		((ObjectNode) broken.path("operations").path("order-service-sends-orders").path("channel")).put("$ref",
				"#/channels/nowhere");
		Path brokenFile = parser.resolve("broken.json");
		Files.writeString(brokenFile, AsyncApi.text(broken));
		Ran refused = ran(parser, "node", "validate.mjs", brokenFile.toString());
		assertThat(refused.exitValue()).as(refused.output()).isOne();
		assertThat(refused.output()).contains(brokenFile + ": error ");
	}

	private static String run(Path directory, String... command) throws IOException, InterruptedException {
		Ran ran = ran(directory, command);
		assertThat(ran.exitValue()).as(String.join(" ", command) + "\n" + ran.output()).isZero();
		return ran.output();
	}

	private static Ran ran(Path directory, String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(5, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
		System.out.print(output);
		return new Ran(process.exitValue(), output);
	}

	private record Ran(int exitValue, String output) {
	}

}
