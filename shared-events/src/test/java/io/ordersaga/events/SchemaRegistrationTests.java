package io.ordersaga.events;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.networknt.schema.Error;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The registration of the contract in a schema registry, against Apicurio Registry's
 * documented Confluent-compatible API and its JSON Schema compatibility rules
 * ({@link DocumentedRegistry}).
 */
class SchemaRegistrationTests {

	private static final JsonMapper JSON = JsonMapper.shared();

	private static final SchemaRegistry DRAFT_7 = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
			(registry) -> registry
				.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

	private final DocumentedRegistry registry = newRegistry();

	@AfterEach
	void stopRegistry() {
		assertThat(this.registry.undocumented()).as("requests the API document does not allow").isEmpty();
		this.registry.close();
	}

	@Test
	void everyEventTypeIsRegisteredUnderItsTopicAndTokenWithTheRule() {
		List<String> done = new SchemaRegistration(this.registry.api()).registerAll();

		Map<String, EventType> expected = Arrays.stream(EventType.values())
			.collect(Collectors.toMap((type) -> type.topic().topicName() + "-" + type.token(), (type) -> type));
		List<String> topicSubjects = Arrays.stream(Topic.values())
			.map((topic) -> topic.topicName() + "-value")
			.toList();
		assertThat(this.registry.subjects())
			.containsOnlyKeys(Stream.concat(expected.keySet().stream(), topicSubjects.stream()).toList());
		expected.forEach((subject, type) -> {
			assertThat(this.registry.subjects().get(subject)).hasSize(1);
			JsonNode registered = JSON.readTree(this.registry.subjects().get(subject).get(0));
			assertThat(registered).isEqualTo(SchemaRegistration.registeredForm(type));
			assertThat(registered.path("title").asString()).as("the record name of TopicRecordNameStrategy")
				.isEqualTo(type.token());
			assertThat(registered.path("$schema").asString()).isEqualTo("http://json-schema.org/draft-07/schema#");
		});
		assertThat(this.registry.compatibility()).containsOnlyKeys(this.registry.subjects().keySet())
			.allSatisfy((subject, level) -> assertThat(level).isEqualTo("BACKWARD_TRANSITIVE"));
		assertThat(done).hasSize(this.registry.subjects().size())
			.allMatch((line) -> line.contains("registered as schema"));
	}

	/**
	 * Conduktor Console's topic view shows the {@code TopicNameStrategy}'s subject: each
	 * saga topic's {@code <topic>-value} is one of its event types, each a reference to
	 * the version of the type's subject registered just before.
	 */
	@Test
	void eachSagaTopicsValueIsOneOfItsEventTypesByReference() {
		new SchemaRegistration(this.registry.api()).registerAll();

		for (Topic topic : Topic.values()) {
			DocumentedRegistry.Registered value = this.registry.registered().get(topic.topicName() + "-value").get(0);
			JsonNode schema = JSON.readTree(value.schema());
			List<String> refs = schema.path("oneOf")
				.valueStream()
				.map((branch) -> branch.path("$ref").asString())
				.toList();
			assertThat(refs).containsExactlyElementsOf(topic.eventTypes()
				.stream()
				.map((type) -> "urn:ordersaga:schema:" + type.token() + ":v" + type.schemaVersion())
				.toList());
			assertThat(value.references().valueStream().map((reference) -> reference.path("name").asString()))
				.containsExactlyElementsOf(refs);
			assertThat(value.references().valueStream().map((reference) -> reference.path("subject").asString()))
				.containsExactlyElementsOf(topic.eventTypes().stream().map(SchemaRegistration::subject).toList());
			assertThat(value.references())
				.allSatisfy((reference) -> assertThat(reference.path("version").asInt()).isOne());
		}
	}

	@Test
	void registeringAgainChangesNothing() {
		new SchemaRegistration(this.registry.api()).registerAll();
		int before = this.registry.requests().size();

		List<String> done = new SchemaRegistration(this.registry.api()).registerAll();

		assertThat(done).allMatch((line) -> line.endsWith("version 1 already registered"));
		assertThat(this.registry.subjects()).allSatisfy((subject, versions) -> assertThat(versions).hasSize(1));
		assertThat(this.registry.requests().subList(before, this.registry.requests().size()))
			.noneMatch((request) -> request.startsWith("POST") && request.endsWith("/versions"));
	}

	@Test
	void aVersionThatAddsAnOptionalFieldIsRegistered() {
		new SchemaRegistration(this.registry.api()).registerAll();
		String subject = SchemaRegistration.subject(EventType.PAYMENT_DECLINED);

		String done = new SchemaRegistration(this.registry.api()).register(subject, changed(EventType.PAYMENT_DECLINED,
				(data) -> ((ObjectNode) data.path("properties")).putObject("retryAfter").put("type", "string")));

		assertThat(done).contains("registered as schema");
		assertThat(this.registry.subjects().get(subject)).hasSize(2);
	}

	@Test
	void aVersionThatRemovesRetypesOrRequiresAFieldIsRefusedNamingTheSubject() {
		new SchemaRegistration(this.registry.api()).registerAll();
		String subject = SchemaRegistration.subject(EventType.PAYMENT_DECLINED);
		Map<String, ObjectNode> changes = Map.of("removed",
				changed(EventType.PAYMENT_DECLINED, (data) -> ((ObjectNode) data.path("properties")).remove("reason")),
				"retyped",
				changed(EventType.PAYMENT_DECLINED,
						(data) -> ((ObjectNode) data.path("properties")).putObject("reason").put("type", "integer")),
				"newly required", changed(EventType.PAYMENT_DECLINED, (data) -> {
					((ObjectNode) data.path("properties")).putObject("retryAfter").put("type", "string");
					data.withArray("required").add("retryAfter");
				}));

		changes.forEach(
				(change, schema) -> assertThatExceptionOfType(SchemaRegistration.RegistrationException.class).as(change)
					.isThrownBy(() -> new SchemaRegistration(this.registry.api()).register(subject, schema))
					.withMessageContaining("refused the schema of payments-PaymentDeclined")
					.withMessageContaining("BACKWARD_TRANSITIVE")
					.withMessageContaining("Incompatible schema"));
		assertThat(this.registry.subjects().get(subject)).hasSize(1);
	}

	@Test
	void theCommandSaysWhatItDid() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();

		int status = SchemaRegistration.run(this.registry.api(), print(out), print(err));

		assertThat(status).isZero();
		assertThat(out.toString(StandardCharsets.UTF_8)).contains("orders-OrderPlaced: registered as schema");
		assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
	}

	/**
	 * A registry that already holds a version with a field this build no longer writes:
	 * the command fails with the subject and the registry's reason, and registers nothing
	 * under that subject.
	 */
	@Test
	void theCommandFailsWithTheRegistrysReason() {
		String subject = SchemaRegistration.subject(EventType.ORDER_PLACED);
		new SchemaRegistration(this.registry.api()).register(subject, changed(EventType.ORDER_PLACED,
				(data) -> ((ObjectNode) data.path("properties")).putObject("legacy").put("type", "string")));
		ByteArrayOutputStream err = new ByteArrayOutputStream();

		int status = SchemaRegistration.run(this.registry.api(), print(new ByteArrayOutputStream()), print(err));

		assertThat(status).isEqualTo(1);
		assertThat(err.toString(StandardCharsets.UTF_8))
			.startsWith("The registry refused the schema of orders-OrderPlaced as not BACKWARD_TRANSITIVE compatible")
			.contains("Incompatible schema");
		assertThat(this.registry.subjects().get(subject)).hasSize(1);
	}

	@Test
	void anUnreachableRegistryIsNamedAndFails() throws IOException {
		URI nowhere;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			nowhere = URI.create("http://127.0.0.1:" + socket.getLocalPort() + DocumentedRegistry.BASE);
		}
		ByteArrayOutputStream err = new ByteArrayOutputStream();

		int status = SchemaRegistration.run(nowhere, print(new ByteArrayOutputStream()), print(err));

		assertThat(status).isEqualTo(1);
		assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("Cannot reach the schema registry at " + nowhere);
	}

	/**
	 * The registered form closes every object; it must still accept what the current
	 * version writes, or a consumer validating with it would refuse real events.
	 */
	@Test
	void whatEachTypeWritesMatchesItsRegisteredForm() {
		for (EventType type : EventType.values()) {
			com.networknt.schema.Schema schema = DRAFT_7
				.getSchema(JSON.readTree(JSON.writeValueAsString(SchemaRegistration.registeredForm(type))));
			JsonNode sample = JSON
				.readTree(ContractFiles.read(ContractFiles.SAMPLES + "/" + GoldenSamples.currentSamplePath(type)));
			List<Error> errors = schema.validate(sample);
			assertThat(errors).as(type.token()).isEmpty();
			ObjectNode extra = ((ObjectNode) sample.deepCopy());
			((ObjectNode) extra.path("data")).put("notInThisVersion", 1);
			assertThat(schema.validate(extra)).as("the registered form of %s is closed", type.token()).isNotEmpty();
		}
	}

	private static ObjectNode changed(EventType type, Consumer<ObjectNode> change) {
		ObjectNode schema = SchemaRegistration.registeredForm(type);
		change.accept((ObjectNode) schema.path("properties").path("data"));
		return schema;
	}

	private static PrintStream print(ByteArrayOutputStream bytes) {
		return new PrintStream(bytes, true, StandardCharsets.UTF_8);
	}

	private static DocumentedRegistry newRegistry() {
		try {
			return new DocumentedRegistry();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
