package io.ordersaga.events.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.ordersaga.events.ContractFiles;
import io.ordersaga.events.EventType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ContainerNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every golden sample broken in one place: a field left out, or a value of the wrong type
 * put in. The mutations are derived from each sample's JSON tree and the published JSON
 * Schema of its version, so a field added to a record is covered without listing it here,
 * a field is required exactly when the schema says so (when it is not {@code @Nullable}),
 * and an amount is broken beyond the bounds only in a version whose schema states them.
 */
final class SampleMutations {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	/**
	 * Amounts beyond the bounds of {@link io.ordersaga.events.Money}: an exponent that
	 * would write ten million digits, too many digits before or after the point, a sign,
	 * and too many characters.
	 */
	private static final List<String> AMOUNTS_OUT_OF_BOUNDS = List.of("1E+10000000", "1000000000000000000", "0.00001",
			"-1", "1" + "0".repeat(AmountFields.MAX_AMOUNT_CHARACTERS));

	private SampleMutations() {
	}

	static Stream<Mutation> missingRequiredFields() {
		return all().stream().filter((mutation) -> mutation.kind() == Kind.MISSING_REQUIRED);
	}

	static Stream<Mutation> missingOptionalFields() {
		return all().stream().filter((mutation) -> mutation.kind() == Kind.MISSING_OPTIONAL);
	}

	static Stream<Mutation> wrongValues() {
		return all().stream().filter((mutation) -> mutation.kind() == Kind.WRONG_VALUE);
	}

	private static List<Mutation> all() {
		List<Mutation> mutations = new ArrayList<>();
		for (String sample : ContractFiles.jsonFiles(ContractFiles.SAMPLES)) {
			ObjectNode document = (ObjectNode) JSON.readTree(ContractFiles.read(ContractFiles.SAMPLES + "/" + sample));
			EventType type = EventType.forToken(document.get("type").stringValue()).orElseThrow();
			int version = document.get("schemaversion").intValue();
			JsonNode schema = JSON.readTree(ContractFiles.read(ContractFiles.schemaFile(type, version)));
			new Walk(sample, type, version, document, mutations).object(document, schema, "", "");
		}
		return mutations;
	}

	/**
	 * Values that are not of the kind a schema describes. Amounts are left alone when
	 * they are JSON numbers, because readers accept those on purpose.
	 */
	private static List<JsonNode> wrongValuesFor(JsonNode schema) {
		if (schema.has("const")) {
			return List.of(NODES.booleanNode(true), NODES.numberNode(42), NODES.objectNode());
		}
		return switch (schema.path("type").stringValue("")) {
			case "object" -> List.of(NODES.stringNode("abc"), NODES.booleanNode(true), NODES.arrayNode());
			case "array" -> List.of(NODES.stringNode("abc"), NODES.booleanNode(true), NODES.objectNode());
			case "integer" ->
				List.of(NODES.stringNode("2"), NODES.numberNode(2.5), NODES.booleanNode(true), NODES.objectNode());
			case "boolean" -> List.of(NODES.stringNode("true"), NODES.numberNode(1), NODES.objectNode());
			case "string" -> wrongStringsFor(schema);
			default -> throw new IllegalStateException("No wrong values for the schema " + schema + "; add some");
		};
	}

	private static List<JsonNode> wrongStringsFor(JsonNode schema) {
		List<JsonNode> values = new ArrayList<>(List.of(NODES.booleanNode(true), NODES.objectNode()));
		String pattern = schema.path("pattern").stringValue("");
		// Readers accept amounts as JSON numbers on purpose.
		if (!pattern.equals(ContractSchemaGenerator.UNBOUNDED_DECIMAL)
				&& !pattern.equals(ContractSchemaGenerator.AMOUNT)) {
			values.add(NODES.numberNode(42));
		}
		if (pattern.equals(ContractSchemaGenerator.AMOUNT)) {
			AMOUNTS_OUT_OF_BOUNDS.forEach((amount) -> values.add(NODES.stringNode(amount)));
		}
		switch (schema.path("format").stringValue("")) {
			// UUID.fromString reads the short form, and Jackson reads a UUID in Base64;
			// neither is a UUID to a consumer in another language.
			case "uuid" -> values.addAll(List.of(NODES.stringNode("not-a-uuid"), NODES.stringNode("1-2-3-4-5"),
					NODES.stringNode("AAAAAAAAAAAAAAAAAAAAAA==")));
			case "date-time" ->
				values.addAll(List.of(NODES.stringNode("yesterday"), NODES.stringNode("2026-11-24T09:15:30.123456")));
			default -> {
			}
		}
		if (schema.has("pattern")) {
			values.add(NODES.stringNode("abc"));
		}
		if (schema.has("enum")) {
			values.add(NODES.stringNode("NOT_" + schema.get("enum").get(0).stringValue()));
		}
		return values;
	}

	enum Kind {

		MISSING_REQUIRED, MISSING_OPTIONAL, WRONG_VALUE

	}

	/**
	 * One broken sample.
	 *
	 * @param sample the golden sample it was made from
	 * @param type the sample's event type
	 * @param version the sample's schema version
	 * @param kind what was broken
	 * @param field the path of the broken field, as the deserializer names it
	 * ({@code data.items[0].quantity})
	 * @param change what was done to it, for the test's name
	 * @param document the broken sample
	 */
	record Mutation(String sample, EventType type, int version, Kind kind, String field, String change,
			ObjectNode document) {

		String topic() {
			return this.type.topic().topicName();
		}

		byte[] json() {
			return this.document.toString().getBytes(StandardCharsets.UTF_8);
		}

		@Override
		public String toString() {
			return this.sample + ": " + this.field + " " + this.change;
		}

	}

	private record Walk(String sample, EventType type, int version, ObjectNode document, List<Mutation> mutations) {

		void object(JsonNode object, JsonNode schema, String path, String pointer) {
			for (Map.Entry<String, JsonNode> property : object.properties()) {
				String name = property.getKey();
				JsonNode propertySchema = schema.path("properties").path(name);
				if (propertySchema.isMissingNode()) {
					// Readers ignore what they do not know.
					continue;
				}
				String field = path.isEmpty() ? name : path + "." + name;
				boolean required = schema.path("required")
					.valueStream()
					.anyMatch((requiredName) -> requiredName.stringValue().equals(name));
				add(required ? Kind.MISSING_REQUIRED : Kind.MISSING_OPTIONAL, field, "left out", pointer,
						(parent) -> ((ObjectNode) parent).remove(name));
				value(property.getValue(), propertySchema, field, pointer + "/" + name,
						(parent, value) -> ((ObjectNode) parent).set(name, value), pointer);
			}
		}

		private void value(JsonNode value, JsonNode schema, String field, String pointer, Replacer replacer,
				String parentPointer) {
			for (JsonNode wrong : wrongValuesFor(schema)) {
				add(Kind.WRONG_VALUE, field, "= " + wrong, parentPointer, (parent) -> replacer.replace(parent, wrong));
			}
			if (value.isObject()) {
				object(value, schema, field, pointer);
			}
			if (value.isArray()) {
				for (int i = 0; i < value.size(); i++) {
					int index = i;
					value(value.get(i), schema.path("items"), field + "[" + i + "]", pointer + "/" + i,
							(parent, element) -> ((ArrayNode) parent).set(index, element), pointer);
				}
			}
		}

		private void add(Kind kind, String field, String change, String parentPointer,
				Consumer<ContainerNode<?>> mutation) {
			ObjectNode broken = this.document.deepCopy();
			mutation.accept((ContainerNode<?>) broken.at(parentPointer));
			this.mutations.add(new Mutation(this.sample, this.type, this.version, kind, field, change, broken));
		}

	}

	@FunctionalInterface
	private interface Replacer {

		void replace(ContainerNode<?> parent, JsonNode value);

	}

}
