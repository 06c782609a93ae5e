package io.ordersaga.events.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import io.ordersaga.events.ContractFiles;
import io.ordersaga.events.EventType;
import io.ordersaga.events.GoldenSamples;
import io.ordersaga.events.kafka.SampleMutations.Mutation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The published JSON Schemas (under {@code src/main/resources/schemas}) are the contract
 * for non-Java consumers. They must describe exactly what the records define, and every
 * golden sample must satisfy them. Like the golden samples, a released schema is never
 * edited: a change to a record is a new schema version. Run with
 * {@code -Dcontract.update-schemas=true} to write the schema of a version that is not
 * released yet.
 */
class JsonSchemaTests {

	private static final String RELEASED_SCHEMA_DIFFERS = "%s is released and no longer matches the record %s. "
			+ "A released schema never changes: raise the schema version of %s in EventType, add a golden sample "
			+ "for it and rerun with -Dcontract.update-schemas=true to write the new version's schema "
			+ "(a new version may only add optional fields)";

	// Under draft 2020-12 'format' only annotates unless the validator is told to assert
	// it. A consumer that validates with these schemas should reject a malformed id or
	// time, so the tests do too.
	private static final SchemaRegistry VALIDATOR = SchemaRegistry
		.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, (registry) -> registry
			.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

	private static final Comparator<JsonNode> BY_TEXT = Comparator.comparing(JsonNode::asString);

	private static final String SCHEMA_DIFFERS = "%s differs from the record %s; "
			+ "rerun with -Dcontract.update-schemas=true to rewrite it";

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private static final ContractSchemaGenerator GENERATOR = new ContractSchemaGenerator();

	/**
	 * Writes the schema of each type's current version, when asked to, before any test
	 * reads it; never over a released schema, which only a new version may replace.
	 */
	@BeforeAll
	static void writeUnreleasedSchemasWhenAsked() throws IOException {
		if (!Boolean.getBoolean("contract.update-schemas")) {
			return;
		}
		for (EventType type : EventType.values()) {
			if (!isReleased(type, type.schemaVersion())) {
				Path file = ContractFiles.schemaFile(type, type.schemaVersion());
				Files.createDirectories(file.getParent());
				Files.writeString(file, JSON.writeValueAsString(GENERATOR.schemaOf(type)) + "\n");
			}
		}
	}

	static Stream<String> samples() {
		return Stream.concat(ContractFiles.jsonFiles("contract/samples").stream().map((s) -> "contract/samples/" + s),
				ContractFiles.jsonFiles("contract/future").stream().map((s) -> "contract/future/" + s));
	}

	@ParameterizedTest
	@EnumSource(EventType.class)
	void publishedSchemaDescribesTheRecord(EventType type) throws IOException {
		Path file = schemaFile(type, type.schemaVersion());

		assertThat(JSON.readTree(file.toFile()))
			.as(isReleased(type, type.schemaVersion()) ? RELEASED_SCHEMA_DIFFERS : SCHEMA_DIFFERS, file,
					type.payloadType().getSimpleName(), type)
			.isEqualTo(GENERATOR.schemaOf(type));
	}

	@Test
	void releasedSchemasAreNeverEdited() {
		ContractFiles.assertMatchesLock("schemas", ContractFiles.SCHEMAS,
				ContractFiles.jsonFiles(ContractFiles.SCHEMAS), ContractFiles.RELEASED_SCHEMAS,
				"raise the type's schema version in EventType to publish a new schema instead of editing one");
	}

	@ParameterizedTest
	@MethodSource("samples")
	void everySampleSatisfiesTheSchemaOfItsType(String sample) throws IOException {
		JsonNode document = JSON.readTree(ContractFiles.read(sample));
		EventType type = EventType.forToken(document.get("type").stringValue()).orElseThrow();
		// A newer version only adds optional fields, so it must also satisfy the schema
		// this build knows.
		int schemaVersion = Math.min(document.get("schemaversion").intValue(), type.schemaVersion());

		assertThat(errors(schemaOf(type, schemaVersion), document)).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(EventType.class)
	void schemaRejectsADocumentWithoutItsPayload(EventType type) throws IOException {
		ObjectNode document = currentSample(type);
		document.remove("data");
		document.put("schemaversion", "one");

		assertThat(errors(schemaOf(type, type.schemaVersion()), document))
			.extracting(Error::getKeyword, JsonSchemaTests::field)
			.containsExactlyInAnyOrder(tuple("required", "data"), tuple("type", "schemaversion"));
	}

	@ParameterizedTest
	@EnumSource(EventType.class)
	void schemaRejectsAMalformedIdAndTime(EventType type) throws IOException {
		ObjectNode document = currentSample(type);
		document.put("id", "0b7e4f7a-1c9d-4a55-8f5e");
		document.put("time", "24.11.2026 09:15");

		assertThat(errors(schemaOf(type, type.schemaVersion()), document))
			.extracting(Error::getKeyword, JsonSchemaTests::field)
			.containsExactlyInAnyOrder(tuple("format", "id"), tuple("format", "time"));
	}

	/**
	 * A consumer that validates with the schema and one that uses the deserializer must
	 * refuse the same broken samples, for the same field.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource({ "io.ordersaga.events.kafka.SampleMutations#missingRequiredFields",
			"io.ordersaga.events.kafka.SampleMutations#wrongValues" })
	void schemaRejectsWhatTheDeserializerRejectsNamingTheSameField(Mutation mutation) throws IOException {
		assertThat(errors(schemaOf(mutation.type(), mutation.version()), mutation.document())).as("%s", mutation)
			.extracting(JsonSchemaTests::field)
			.contains(mutation.field());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("io.ordersaga.events.kafka.SampleMutations#missingOptionalFields")
	void schemaAcceptsAnySampleWithoutOneOfItsOptionalFields(Mutation mutation) throws IOException {
		assertThat(errors(schemaOf(mutation.type(), mutation.version()), mutation.document())).as("%s", mutation)
			.isEmpty();
	}

	/**
	 * The versioning rule, seen from a consumer built for an older version: what this
	 * build writes must satisfy every released schema of its type. While a type has one
	 * version, that version is the one checked.
	 */
	@ParameterizedTest(name = "{0} against v{1}")
	@MethodSource("releasedVersions")
	void whatThisBuildWritesIsValidForEveryReleasedSchemaOfItsType(EventType type, int version) throws IOException {
		JsonNode written = EventCodec.instance().toTree(GoldenSamples.currentEvent(type));

		assertThat(errors(schemaOf(type, version), written))
			.as("%s v%d as a consumer of v%d validates it", type.token(), type.schemaVersion(), version)
			.isEmpty();
	}

	/**
	 * The versioning rule, seen from the schemas: the current record may only add
	 * optional fields to a released version. A sample cannot show all of it, because it
	 * has every field: a required field made optional, or an enum constant added, still
	 * passes the old schema until a producer leaves the field out or sends the new
	 * constant. The one other change allowed is the bounding of amounts (version 2 of the
	 * types with amounts): every bounded amount is also a decimal of version 1, so a
	 * consumer of version 1 reads what version 2 writes.
	 */
	@ParameterizedTest(name = "{0} against v{1}")
	@MethodSource("releasedVersions")
	void theRecordOnlyAddsOptionalFieldsToEveryReleasedSchemaOfItsType(EventType type, int version) throws IOException {
		JsonNode released = JSON.readTree(schemaFile(type, version).toFile());
		JsonNode current = GENERATOR.schemaOf(type);

		assertThat(shapeWithin(current, released))
			.as("%s v%d may only add optional fields to v%d; removing, retyping or requiring a field, making a "
					+ "required one optional or adding an enum constant needs a new event type", type.token(),
					type.schemaVersion(), version)
			.containsExactlyInAnyOrderEntriesOf(shapeWithin(released, released));
	}

	static Stream<Arguments> releasedVersions() {
		Set<String> released = ContractFiles.lockedDigests(ContractFiles.RELEASED_SCHEMAS).keySet();
		return Arrays.stream(EventType.values())
			.flatMap((type) -> IntStream.rangeClosed(1, type.schemaVersion())
				.filter((version) -> released.contains(ContractFiles.schemaFileName(type, version)))
				.mapToObj((version) -> Arguments.of(type, version)));
	}

	/**
	 * The keywords of a schema by JSON pointer, cut down to the properties that
	 * {@code released} has, without annotations and ignoring the order of
	 * {@code required} and {@code enum}. A newer schema's shape within a released one
	 * equals the released one's own shape exactly when it keeps every released property
	 * as it was and adds only optional ones.
	 */
	private static Map<String, JsonNode> shapeWithin(JsonNode schema, JsonNode released) {
		Map<String, JsonNode> shape = new TreeMap<>();
		collectShape(schema, released, "", shape);
		return shape;
	}

	private static void collectShape(JsonNode schema, JsonNode released, String pointer, Map<String, JsonNode> shape) {
		for (Map.Entry<String, JsonNode> keyword : schema.properties()) {
			String name = keyword.getKey();
			JsonNode value = keyword.getValue();
			JsonNode releasedValue = released.path(name);
			String at = pointer + "/" + name;
			switch (name) {
				case "$id", "title", "description" -> {
				}
				case "properties" -> value.properties()
					.stream()
					.filter((property) -> releasedValue.has(property.getKey()))
					.forEach((property) -> collectShape(property.getValue(), releasedValue.get(property.getKey()),
							at + "/" + property.getKey(), shape));
				case "pattern" -> shape.put(at, isAmountBounded(value, releasedValue) ? releasedValue : value);
				case "required", "enum" -> shape.put(at,
						JsonNodeFactory.instance.arrayNode().addAll(value.valueStream().sorted(BY_TEXT).toList()));
				default -> {
					if (value.isObject()) {
						collectShape(value, releasedValue, at, shape);
					}
					else {
						shape.put(at, value);
					}
				}
			}
		}
	}

	private static boolean isAmountBounded(JsonNode pattern, JsonNode releasedPattern) {
		return pattern.stringValue("").equals(ContractSchemaGenerator.AMOUNT)
				&& releasedPattern.stringValue("").equals(ContractSchemaGenerator.UNBOUNDED_DECIMAL);
	}

	private static boolean isReleased(EventType type, int version) {
		return ContractFiles.lockedDigests(ContractFiles.RELEASED_SCHEMAS)
			.containsKey(ContractFiles.schemaFileName(type, version));
	}

	private ObjectNode currentSample(EventType type) {
		return (ObjectNode) JSON
			.readTree(ContractFiles.read(ContractFiles.SAMPLES + "/" + GoldenSamples.currentSamplePath(type)));
	}

	private static Path schemaFile(EventType type, int version) {
		Path file = ContractFiles.schemaFile(type, version);
		assertThat(file)
			.as("the schema of %s v%d; run the tests with -Dcontract.update-schemas=true to write it", type.token(),
					version)
			.exists();
		return file;
	}

	private static Schema schemaOf(EventType type, int version) throws IOException {
		return VALIDATOR.getSchema(JSON.readTree(schemaFile(type, version).toFile()));
	}

	private static List<Error> errors(Schema schema, JsonNode document) {
		return schema.validate(document);
	}

	/**
	 * The field an error is about, named as the deserializer names it
	 * ({@code data.items[0].quantity}), so that both can be checked against one name.
	 */
	static String field(Error error) {
		NodePath location = error.getInstanceLocation();
		StringBuilder field = new StringBuilder();
		for (int i = 0; i < location.getNameCount(); i++) {
			Object element = location.getElement(i);
			if (element instanceof Integer index) {
				field.append('[').append(index).append(']');
			}
			else {
				field.append(field.isEmpty() ? "" : ".").append(element);
			}
		}
		if ("required".equals(error.getKeyword())) {
			field.append(field.isEmpty() ? "" : ".").append(error.getProperty());
		}
		return field.toString();
	}

}
