package io.ordersaga.support.streams;

import java.time.Instant;

import io.ordersaga.events.kafka.Timestamps;
import org.apache.kafka.common.serialization.Serde;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.deser.std.StdDeserializer;
import tools.jackson.databind.ext.javatime.deser.InstantDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdSerializer;

import org.springframework.kafka.support.JacksonMapperUtils;
import org.springframework.kafka.support.serializer.JacksonJsonSerde;

/**
 * Serdes for the JSON values of state stores and of internal topics: Spring Kafka's
 * {@link JacksonJsonSerde} with its usual mapper, except that instants are read and
 * written by {@link Timestamps}. State values such as payment-service's account movements
 * carry instants and are written for every event, and Jackson's {@code DateTimeFormatter}
 * route was once the busiest code of payment-service at saturation. The JSON is the same,
 * so stores and topics written before stay readable.
 */
public final class StateSerdes {

	private static final JsonMapper MAPPER = JacksonMapperUtils.enhancedJsonMapper()
		.rebuild()
		.addModule(new SimpleModule("state-timestamps").addSerializer(Instant.class, new InstantAsText())
			.addDeserializer(Instant.class, new InstantFromText()))
		.build();

	private StateSerdes() {
	}

	/**
	 * A JSON serde for one type, writing no type headers.
	 * @param <T> the type
	 * @param type the class of the values
	 * @return the serde
	 */
	public static <T> Serde<T> json(Class<T> type) {
		return new JacksonJsonSerde<T>(type, MAPPER).noTypeInfo();
	}

	/** Writes an instant as {@link Instant#toString} does, as Jackson does by default. */
	private static final class InstantAsText extends StdSerializer<Instant> {

		InstantAsText() {
			super(Instant.class);
		}

		@Override
		public void serialize(Instant value, JsonGenerator generator, SerializationContext context) {
			generator.writeString(Timestamps.format(value));
		}

	}

	/**
	 * Reads the canonical form by hand and leaves everything else to Jackson's reader.
	 */
	private static final class InstantFromText extends StdDeserializer<Instant> {

		InstantFromText() {
			super(Instant.class);
		}

		@Override
		public Instant deserialize(JsonParser parser, DeserializationContext context) {
			if (parser.hasToken(JsonToken.VALUE_STRING)) {
				Instant fast = Timestamps.parseIfCanonical(parser.getString());
				if (fast != null) {
					return fast;
				}
			}
			return InstantDeserializer.INSTANT.deserialize(parser, context);
		}

	}

}
