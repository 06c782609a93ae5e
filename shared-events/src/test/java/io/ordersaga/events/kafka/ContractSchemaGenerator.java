package io.ordersaga.events.kafka;

import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.UUID;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.EventType;
import io.ordersaga.events.Money;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Derives the JSON Schema (draft 2020-12) of each event type from its record, with the
 * rules the codec enforces: components are required unless {@code @Nullable}, amounts are
 * decimal strings, currencies are ISO 4217 codes, and unknown properties are allowed so
 * that newer versions stay readable.
 */
final class ContractSchemaGenerator {

	/**
	 * An amount as version 1 of the types with amounts described it: any decimal, of any
	 * length.
	 */
	static final String UNBOUNDED_DECIMAL = "^-?[0-9]+(\\.[0-9]+)?$";

	/**
	 * An amount as {@link Money} bounds it: at most 18 digits before the decimal point
	 * and at most 4 after it. The currency's own minor units (2 for EUR) cannot be said
	 * in a pattern; the description says them.
	 */
	static final String AMOUNT = "^[0-9]{1," + Money.MAX_INTEGER_DIGITS + "}(\\.[0-9]{1," + Money.MAX_FRACTION_DIGITS
			+ "})?$";

	private static final String AMOUNT_DESCRIPTION = "A positive amount in plain digits, at most "
			+ Money.MAX_INTEGER_DIGITS + " before the decimal point and at most as many after it as the "
			+ "currency's ISO 4217 minor units (2 for EUR, 0 for JPY).";

	private final JsonMapper json = JsonMapper.builder().build();

	ObjectNode schemaOf(EventType type) {
		ObjectNode schema = this.json.createObjectNode();
		schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
		schema.put("$id", "urn:ordersaga:schema:" + type.token() + ":v" + type.schemaVersion());
		schema.put("title", type.token() + " v" + type.schemaVersion());
		schema.put("description",
				"The " + type.token() + " event as a CloudEvents 1.0 JSON document (structured mode) on the '"
						+ type.topic().topicName() + "' topic, keyed by the order id.");
		schema.put("type", "object");
		ArrayNode required = schema.putArray("required");
		ObjectNode properties = schema.putObject("properties");
		properties.putObject("specversion").put("const", EventEnvelope.SPEC_VERSION);
		properties.set("id", uuid("Unique per event; consumers deduplicate on it."));
		properties.set("source", text("The producing service, for example /order-service."));
		properties.putObject("type").put("const", type.token());
		properties.putObject("schemaversion").put("type", "integer").put("minimum", 1);
		properties.putObject("time").put("type", "string").put("format", "date-time");
		properties.set("subject", uuid("The order id, which is also the record key."));
		properties.set("correlationid", uuid("Shared by every event of one saga."));
		properties.set("causationid", uuid("The id of the event that caused this one."));
		properties.putObject("datacontenttype").put("const", "application/json");
		properties.set("data", objectOf(type.payloadType()));
		for (String name : new String[] { "specversion", "id", "source", "type", "schemaversion", "time", "subject",
				"correlationid", "data" }) {
			required.add(name);
		}
		return schema;
	}

	private ObjectNode objectOf(Class<?> recordType) {
		ObjectNode schema = this.json.createObjectNode();
		schema.put("type", "object");
		ArrayNode required = schema.putArray("required");
		ObjectNode properties = schema.putObject("properties");
		for (RecordComponent component : recordType.getRecordComponents()) {
			properties.set(component.getName(), valueOf(component.getType(), component.getGenericType()));
			if (!RequiredFields.isOptional(component)) {
				required.add(component.getName());
			}
		}
		return schema;
	}

	private ObjectNode valueOf(Class<?> type, Type genericType) {
		if (type == String.class) {
			return text(null);
		}
		if (type == UUID.class) {
			return uuid(null);
		}
		if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
			return this.json.createObjectNode().put("type", "integer");
		}
		if (type == boolean.class || type == Boolean.class) {
			return this.json.createObjectNode().put("type", "boolean");
		}
		if (type == BigDecimal.class) {
			return this.json.createObjectNode()
				.put("type", "string")
				.put("pattern", AMOUNT)
				.put("description", AMOUNT_DESCRIPTION);
		}
		if (type == Currency.class) {
			return this.json.createObjectNode().put("type", "string").put("pattern", "^[A-Z]{3}$");
		}
		if (type == Instant.class) {
			return this.json.createObjectNode().put("type", "string").put("format", "date-time");
		}
		if (type.isEnum()) {
			ObjectNode schema = this.json.createObjectNode().put("type", "string");
			ArrayNode values = schema.putArray("enum");
			for (Object constant : type.getEnumConstants()) {
				values.add(((Enum<?>) constant).name());
			}
			return schema;
		}
		if (RequiredFields.isValueType(type)) {
			return this.json.createObjectNode().put("type", "string").put("pattern", "^[A-Z][A-Z0-9_]*$");
		}
		Class<?> element = RequiredFields.recordElementType(genericType);
		if (element != null) {
			ObjectNode schema = this.json.createObjectNode().put("type", "array").put("minItems", 1);
			schema.set("items", objectOf(element));
			return schema;
		}
		if (type.isRecord()) {
			return objectOf(type);
		}
		throw new IllegalStateException("No JSON Schema mapping for " + genericType + "; add one");
	}

	private ObjectNode text(@Nullable String description) {
		ObjectNode schema = this.json.createObjectNode().put("type", "string").put("minLength", 1);
		return (description != null) ? schema.put("description", description) : schema;
	}

	private ObjectNode uuid(@Nullable String description) {
		ObjectNode schema = this.json.createObjectNode().put("type", "string").put("format", "uuid");
		return (description != null) ? schema.put("description", description) : schema;
	}

}
