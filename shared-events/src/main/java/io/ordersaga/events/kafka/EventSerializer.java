package io.ordersaga.events.kafka;

import java.nio.charset.StandardCharsets;

import io.ordersaga.events.EventEnvelope;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.jspecify.annotations.Nullable;

/**
 * Writes an {@link EventEnvelope} as a structured-mode CloudEvent and marks the record
 * with the {@code content-type} header of the CloudEvents Kafka binding.
 */
public class EventSerializer implements Serializer<EventEnvelope<?>> {

	/** The record header that carries the content type. */
	public static final String CONTENT_TYPE_HEADER = "content-type";

	private static final byte[] CONTENT_TYPE = EventCodec.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);

	@Override
	public byte @Nullable [] serialize(String topic, @Nullable EventEnvelope<?> envelope) {
		return (envelope != null) ? EventCodec.instance().encode(envelope) : null;
	}

	@Override
	public byte @Nullable [] serialize(String topic, Headers headers, @Nullable EventEnvelope<?> envelope) {
		if (envelope != null) {
			headers.remove(CONTENT_TYPE_HEADER).add(CONTENT_TYPE_HEADER, CONTENT_TYPE);
		}
		return serialize(topic, envelope);
	}

}
