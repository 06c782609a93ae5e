package io.ordersaga.events.kafka;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.EventType;
import io.ordersaga.events.SagaEvent;
import io.ordersaga.events.Topic;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.deser.jdk.UUIDDeserializer;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.type.LogicalType;

/**
 * Turns envelopes into CloudEvents JSON and back. It is strict about what the contract
 * requires and tolerant about everything else: unknown attributes and fields are ignored
 * (so newer producers never break older consumers), while a missing required field, a
 * value of the wrong type or an unknown type token fails with a message that names it.
 *
 * <p>
 * Amounts are written as JSON strings ({@code "12.50"}) so that every language reads them
 * exactly; numbers are accepted when reading.
 */
public final class EventCodec {

	/** The content type of a structured-mode CloudEvent in JSON. */
	public static final String CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";

	/**
	 * The most bytes an event may have. The largest order the REST API takes (100 lines)
	 * is about 30 KB; the bound keeps what a service derives from an event (its state,
	 * the events it writes, a dead letter) far below what a Kafka record may hold.
	 */
	public static final int MAX_EVENT_BYTES = 64 * 1024;

	/** The most characters of a wrong value that an error message repeats. */
	private static final int SHOWN_CHARACTERS = 64;

	private static final String DATA_CONTENT_TYPE = "application/json";

	private static final EventCodec INSTANCE = new EventCodec();

	private final JsonMapper mapper = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
		.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
		.disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
		.withCoercionConfig(LogicalType.Textual,
				(config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
					.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
					.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
		// Amounts travel as strings; without this, disabling scalar coercion would refuse
		// them.
		.withCoercionConfig(BigDecimal.class,
				(config) -> config.setCoercion(CoercionInputShape.String, CoercionAction.TryConvert))
		.disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
		.enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
		.withConfigOverride(BigDecimal.class,
				(override) -> override.setFormat(JsonFormat.Value.forShape(JsonFormat.Shape.STRING)))
		.changeDefaultPropertyInclusion((inclusion) -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
		.addModule(new SimpleModule("event-contract").addDeserializer(UUID.class, new CanonicalUuidDeserializer()))
		.build();

	private EventCodec() {
	}

	/**
	 * The shared codec; it is immutable and thread-safe.
	 * @return the codec
	 */
	public static EventCodec instance() {
		return INSTANCE;
	}

	/**
	 * Writes an envelope as a CloudEvents JSON document. The schema version written is
	 * the one this build's record has, whatever version the envelope was read with.
	 * @param envelope the event
	 * @return UTF-8 JSON
	 */
	public byte[] encode(EventEnvelope<?> envelope) {
		// Written straight to the generator: building a tree first and then writing it
		// took about a third of the time of encoding.
		ByteArrayOutputStream out = new ByteArrayOutputStream(512);
		try (JsonGenerator json = this.mapper.createGenerator(out)) {
			EventType type = envelope.type();
			json.writeStartObject();
			json.writeStringProperty("specversion", EventEnvelope.SPEC_VERSION);
			json.writeStringProperty("id", envelope.id().toString());
			json.writeStringProperty("source", envelope.source());
			json.writeStringProperty("type", type.token());
			json.writeNumberProperty("schemaversion", type.schemaVersion());
			json.writeStringProperty("time", Timestamps.format(envelope.time()));
			json.writeStringProperty("subject", envelope.orderId().toString());
			json.writeStringProperty("correlationid", envelope.correlationId().toString());
			if (envelope.causationId() != null) {
				json.writeStringProperty("causationid", envelope.causationId().toString());
			}
			json.writeStringProperty("datacontenttype", DATA_CONTENT_TYPE);
			json.writePOJOProperty("data", envelope.data());
			json.writeEndObject();
		}
		if (out.size() > MAX_EVENT_BYTES) {
			throw new IllegalArgumentException(envelope.type().token() + " for order " + envelope.orderId() + " is "
					+ out.size() + " bytes, more than the " + MAX_EVENT_BYTES + " bytes an event may have");
		}
		return out.toByteArray();
	}

	/**
	 * The JSON document of an envelope, as a tree.
	 * @param envelope the event
	 * @return the CloudEvent as a JSON object, as {@link #encode} writes it
	 */
	public ObjectNode toTree(EventEnvelope<?> envelope) {
		return (ObjectNode) this.mapper.readTree(encode(envelope));
	}

	/**
	 * Reads a CloudEvents JSON document.
	 * @param topic the topic the record came from, used to check the event belongs there
	 * and to say where a bad record came from; may be {@code null}
	 * @param json UTF-8 JSON
	 * @return the envelope
	 * @throws EventDeserializationException if the document is not a valid event
	 */
	public EventEnvelope<?> decode(@Nullable String topic, byte[] json) {
		if (json.length > MAX_EVENT_BYTES) {
			throw invalid(topic, "the value is " + json.length + " bytes, more than the " + MAX_EVENT_BYTES
					+ " bytes an event may have", null);
		}
		JsonNode root;
		try {
			root = this.mapper.readTree(json);
		}
		catch (JacksonException ex) {
			throw invalid(topic, "the value is not valid JSON: " + ex.getOriginalMessage(), ex);
		}
		if (root == null || !root.isObject()) {
			throw invalid(topic, "the value is not a JSON object but " + (root == null ? "empty" : root.getNodeType()),
					null);
		}
		return decode(topic, root);
	}

	/**
	 * Reads a CloudEvents JSON document that is already parsed.
	 * @param topic the topic the record came from, or {@code null}
	 * @param root the JSON object
	 * @return the envelope
	 * @throws EventDeserializationException if the document is not a valid event
	 */
	public EventEnvelope<?> decode(@Nullable String topic, JsonNode root) {
		Attributes attributes = new Attributes(topic, root);
		String specVersion = attributes.text("specversion");
		if (!specVersion.startsWith("1.")) {
			throw attributes.invalid("unsupported CloudEvents specversion '" + shown(specVersion) + "', expected 1.x");
		}
		String token = attributes.text("type");
		EventType type = EventType.forToken(token)
			.orElseThrow(() -> attributes
				.invalid("unknown event type '" + shown(token) + "'; known types are " + knownTokens()));
		if (topic != null) {
			Topic.forName(topic).filter((expected) -> !expected.carries(type)).ifPresent((expected) -> {
				throw attributes.invalid(token + " does not belong on topic '" + topic + "', it is published to '"
						+ type.topic().topicName() + "'");
			});
		}
		int schemaVersion = attributes.integer("schemaversion");
		if (schemaVersion < 1) {
			throw attributes.invalid("'schemaversion' must be at least 1, was " + schemaVersion);
		}
		UUID id = attributes.uuid("id");
		String source = attributes.text("source");
		Instant time = attributes.instant("time");
		UUID orderId = attributes.uuid("subject");
		UUID correlationId = attributes.uuid("correlationid");
		UUID causationId = attributes.optionalUuid("causationid");
		String dataContentType = attributes.optionalText("datacontenttype");
		if (dataContentType != null && !dataContentType.equals(DATA_CONTENT_TYPE)) {
			throw attributes.invalid("attribute 'datacontenttype' must be '" + DATA_CONTENT_TYPE + "', was '"
					+ shown(dataContentType) + "'");
		}
		SagaEvent data = readData(attributes, type, schemaVersion, root.get("data"));
		return new EventEnvelope<>(id, source, time, orderId, correlationId, causationId, schemaVersion, data);
	}

	private SagaEvent readData(Attributes attributes, EventType type, int schemaVersion, @Nullable JsonNode data) {
		String what = type.token() + " v" + schemaVersion;
		if (data == null || data.isNull()) {
			throw attributes.invalid(what + ": missing required attribute 'data'");
		}
		if (!data.isObject()) {
			throw attributes.invalid(what + ": attribute 'data' must be a JSON object, was " + data.getNodeType());
		}
		List<String> missing = RequiredFields.missing(data, type.payloadType());
		if (!missing.isEmpty()) {
			throw attributes.invalid(what + ": missing required field" + (missing.size() > 1 ? "s " : " ")
					+ missing.stream().map((field) -> "'data." + field + "'").collect(Collectors.joining(", ")));
		}
		String wrongAmount = AmountFields.problem(data, type.payloadType());
		if (wrongAmount != null) {
			throw attributes.invalid(what + ": " + wrongAmount);
		}
		Object plain = PayloadBinder.bind(data, type.payloadType());
		if (plain != null) {
			return (SagaEvent) plain;
		}
		try {
			return bindWithJackson(data, type.payloadType());
		}
		catch (ValueInstantiationException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw attributes.invalid(what + ": wrong value at " + field(ex) + ": " + cause.getMessage(), ex);
		}
		catch (JacksonException ex) {
			throw attributes.invalid(what + ": wrong value at " + field(ex) + ": " + ex.getOriginalMessage(), ex);
		}
	}

	/**
	 * Binds a payload with Jackson's data binding: what the codec does with any payload
	 * that {@link PayloadBinder} leaves to it.
	 */
	<T> T bindWithJackson(JsonNode data, Class<T> type) {
		return this.mapper.treeToValue(data, type);
	}

	/** The payload field an error is about, as in {@code 'data.items[0].quantity'}. */
	private static String field(JacksonException ex) {
		StringBuilder path = new StringBuilder("data");
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				path.append('.').append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return "'" + path + "'";
	}

	private static String knownTokens() {
		return Arrays.stream(EventType.values()).map(EventType::token).collect(Collectors.joining(", "));
	}

	/** A value as an error message repeats it: the start of it, if it is long. */
	private static String shown(String value) {
		return (value.length() <= SHOWN_CHARACTERS) ? value
				: value.substring(0, SHOWN_CHARACTERS) + "… (" + value.length() + " characters)";
	}

	static EventDeserializationException invalid(@Nullable String topic, String reason, @Nullable Throwable cause) {
		String where = (topic != null) ? " from topic '" + topic + "'" : "";
		return new EventDeserializationException("Cannot read event" + where + ": " + reason, cause);
	}

	/**
	 * Reads the CloudEvents attributes of one document, naming the attribute in each
	 * error.
	 */
	private record Attributes(@Nullable String topic, JsonNode root) {

		String text(String name) {
			JsonNode value = this.root.get(name);
			if (value == null || value.isNull()) {
				throw invalid("missing required attribute '" + name + "'");
			}
			if (!value.isString() || value.stringValue().isBlank()) {
				throw invalid("attribute '" + name + "' must be a non-empty string, was " + shown(value.toString()));
			}
			return value.stringValue();
		}

		int integer(String name) {
			JsonNode value = this.root.get(name);
			if (value == null || value.isNull()) {
				throw invalid("missing required attribute '" + name + "'");
			}
			if (!value.isIntegralNumber() || !value.canConvertToInt()) {
				throw invalid("attribute '" + name + "' must be an integer, was " + shown(value.toString()));
			}
			return value.intValue();
		}

		UUID uuid(String name) {
			String text = text(name);
			UUID uuid = CanonicalUuids.parse(text);
			if (uuid == null) {
				throw invalid("attribute '" + name + "' must be a UUID, was '" + shown(text) + "'");
			}
			return uuid;
		}

		@Nullable UUID optionalUuid(String name) {
			return isAbsent(name) ? null : uuid(name);
		}

		@Nullable String optionalText(String name) {
			return isAbsent(name) ? null : text(name);
		}

		private boolean isAbsent(String name) {
			JsonNode value = this.root.get(name);
			return value == null || value.isNull();
		}

		Instant instant(String name) {
			String text = text(name);
			try {
				return Timestamps.parse(text);
			}
			catch (DateTimeParseException ex) {
				throw invalid("attribute '" + name + "' must be an RFC 3339 timestamp, was '" + shown(text) + "'", ex);
			}
		}

		EventDeserializationException invalid(String reason) {
			return invalid(reason, null);
		}

		EventDeserializationException invalid(String reason, @Nullable Throwable cause) {
			return EventCodec.invalid(this.topic, reason, cause);
		}

	}

	/**
	 * Jackson also reads a UUID written in Base64; on the wire of this contract a UUID is
	 * only ever its canonical 36-character form, as the JSON Schemas say.
	 */
	private static final class CanonicalUuidDeserializer extends UUIDDeserializer {

		@Override
		protected UUID _deserialize(String id, DeserializationContext ctxt) {
			UUID uuid = CanonicalUuids.parse(id);
			if (uuid == null) {
				return (UUID) ctxt.handleWeirdStringValue(UUID.class, id, "not a UUID in its canonical form");
			}
			return uuid;
		}

	}

}
