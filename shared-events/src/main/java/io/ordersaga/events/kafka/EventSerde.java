package io.ordersaga.events.kafka;

import io.ordersaga.events.EventEnvelope;
import org.apache.kafka.common.serialization.Serdes;

/** The serializer and deserializer as one Kafka Streams {@code Serde}. */
public class EventSerde extends Serdes.WrapperSerde<EventEnvelope<?>> {

	public EventSerde() {
		super(new EventSerializer(), new EventDeserializer());
	}

}
