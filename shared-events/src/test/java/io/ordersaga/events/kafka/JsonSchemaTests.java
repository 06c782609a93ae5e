package io.ordersaga.events.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.ordersaga.events.ContractFiles;
import io.ordersaga.events.EventType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published JSON Schemas (under {@code src/main/resources/schemas}) are the contract
 * for non-Java consumers. They must describe exactly what the records define, and every
 * golden sample must satisfy them. Run with {@code -Dcontract.update-schemas=true} to
 * rewrite the schema of each type's current version after a compatible change.
 */
class JsonSchemaTests {

	private static final Path SCHEMAS = Path.of("src/main/resources/schemas");

	private final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private final ContractSchemaGenerator generator = new ContractSchemaGenerator();

	static Stream<String> samples() {
		return Stream.concat(ContractFiles.jsonFiles("contract/samples").stream().map((s) -> "contract/samples/" + s),
				ContractFiles.jsonFiles("contract/future").stream().map((s) -> "contract/future/" + s));
	}

	@ParameterizedTest
	@EnumSource(EventType.class)
	void publishedSchemaDescribesTheRecord(EventType type) throws IOException {
		Path file = SCHEMAS.resolve(fileName(type.token(), type.schemaVersion()));
		ObjectNode generated = this.generator.schemaOf(type);
		if (Boolean.getBoolean("contract.update-schemas")) {
			Files.createDirectories(SCHEMAS);
			Files.writeString(file, this.json.writeValueAsString(generated) + "\n");
		}
		assertThat(file).as("the schema of %s; run the tests with -Dcontract.update-schemas=true to write it", type)
			.exists();
		assertThat(this.json.readTree(file.toFile()))
			.as("%s differs from the record %s; if the change is compatible, rerun with -Dcontract.update-schemas=true",
					file, type.payloadType().getSimpleName())
			.isEqualTo(generated);
	}

	@ParameterizedTest
	@MethodSource("samples")
	void everySampleSatisfiesTheSchemaOfItsType(String sample) throws IOException {
		JsonNode document = this.json.readTree(ContractFiles.read(sample));
		String token = document.get("type").stringValue();
		int version = EventType.forToken(token).orElseThrow().schemaVersion();
		// A newer version only adds optional fields, so it must also satisfy the schema
		// this build knows.
		int schemaVersion = Math.min(document.get("schemaversion").intValue(), version);

		assertThat(errors(schemaOf(token, schemaVersion), document)).isEmpty();
	}

	@ParameterizedTest
	@EnumSource(EventType.class)
	void schemaRejectsADocumentWithoutItsPayload(EventType type) throws IOException {
		ObjectNode document = (ObjectNode) this.json
			.readTree(ContractFiles.read("contract/samples/" + type.token() + "/v" + type.schemaVersion() + ".json"));
		document.remove("data");
		document.put("schemaversion", "one");

		assertThat(errors(schemaOf(type.token(), type.schemaVersion()), document)).hasSize(2);
	}

	private Schema schemaOf(String token, int version) throws IOException {
		JsonNode schema = this.json.readTree(SCHEMAS.resolve(fileName(token, version)).toFile());
		return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schema);
	}

	private static List<String> errors(Schema schema, JsonNode document) {
		return schema.validate(document).stream().map(Error::toString).toList();
	}

	private static String fileName(String token, int version) {
		return token + ".v" + version + ".schema.json";
	}

}
