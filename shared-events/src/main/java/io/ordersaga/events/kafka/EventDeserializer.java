package io.ordersaga.events.kafka;

import io.ordersaga.events.EventEnvelope;
import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;

/**
 * Reads a structured-mode CloudEvent into an {@link EventEnvelope}. Throws
 * {@link EventDeserializationException} for anything that is not a valid event of the
 * contract; wrap it in Spring's {@code ErrorHandlingDeserializer} so such records reach
 * the error handler and the dead-letter topic instead of stopping the consumer.
 */
public class EventDeserializer implements Deserializer<EventEnvelope<?>> {

	@Override
	public @Nullable EventEnvelope<?> deserialize(String topic, byte @Nullable [] data) {
		if (data == null) {
			return null;
		}
		return EventCodec.instance().decode(topic, data);
	}

}
