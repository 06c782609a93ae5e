package io.ordersaga.order;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.SagaEvent;
import io.ordersaga.events.kafka.EventCodec;
import io.ordersaga.kafka.test.TestKafkaBroker;
import io.ordersaga.kafka.test.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Plays the other services in tests: reads what order-service wrote, writes what they
 * would.
 */
final class TestEvents {

	static final Duration WAIT = Duration.ofSeconds(30);

	private TestEvents() {
	}

	/** Publishes an event as its producer would: to its topic, keyed by its order. */
	static void publish(EventEnvelope<? extends SagaEvent> event) {
		TestKafkaBroker.send(event.topicName(), event.key(), EventCodec.instance().encode(event));
	}

	/** The {@code OrderPlaced} record of an order, as written to {@code orders}. */
	static ConsumerRecord<String, byte[]> orderPlacedRecord(UUID orderId) {
		String key = orderId.toString();
		return TopicReader.readUntil("orders", (read) -> read.stream().anyMatch((r) -> r.key().equals(key)), WAIT)
			.stream()
			.filter((r) -> r.key().equals(key))
			.findFirst()
			.orElseThrow();
	}

	/** Every event of an order on {@code orders} so far, in order. */
	static List<EventEnvelope<?>> eventsOf(UUID orderId) {
		String key = orderId.toString();
		return TopicReader.readToEnd("orders", WAIT)
			.stream()
			.filter((r) -> key.equals(r.key()))
			.<EventEnvelope<?>>map((r) -> EventCodec.instance().decode("orders", r.value()))
			.toList();
	}

	/** The {@code OrderPlaced} event of an order. */
	@SuppressWarnings("unchecked")
	static EventEnvelope<OrderPlaced> orderPlaced(UUID orderId) {
		return (EventEnvelope<OrderPlaced>) EventCodec.instance().decode("orders", orderPlacedRecord(orderId).value());
	}

}
