package io.ordersaga.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON Schemas of the contract as the tools around Kafka take them. The files are
 * draft 2020-12; their keywords are those of draft 7 too, which AsyncAPI and schema
 * registries read.
 */
final class JsonSchemas {

	static final String DRAFT_7 = "http://json-schema.org/draft-07/schema#";

	private static final JsonMapper JSON = JsonMapper.shared();

	private JsonSchemas() {
	}

	/**
	 * An event type's schema at its current version, without its {@code $schema}.
	 * @param type the event type
	 * @return a fresh copy, free to change
	 */
	static ObjectNode current(EventType type) {
		String resource = "schemas/" + type.token() + ".v" + type.schemaVersion() + ".schema.json";
		try (InputStream in = JsonSchemas.class.getClassLoader().getResourceAsStream(resource)) {
			ObjectNode schema = (ObjectNode) JSON.readTree(Objects.requireNonNull(in, resource));
			schema.remove("$schema");
			return schema;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A schema with every object that lists its properties closed to any other: what a
	 * producer of exactly this version writes.
	 * @param schema the schema, changed in place
	 * @return the same schema
	 */
	static ObjectNode closed(ObjectNode schema) {
		close(schema);
		return schema;
	}

	private static void close(JsonNode node) {
		if (node instanceof ObjectNode object) {
			if (object.has("properties") && !object.has("additionalProperties")) {
				object.put("additionalProperties", false);
			}
			object.values().forEach(JsonSchemas::close);
		}
		else if (node.isArray()) {
			node.values().forEach(JsonSchemas::close);
		}
	}

}
