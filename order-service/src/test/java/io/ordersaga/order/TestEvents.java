package io.ordersaga.order;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.SagaEvent;
import io.ordersaga.events.kafka.EventCodec;
import io.ordersaga.events.kafka.EventSerializer;
import io.ordersaga.kafka.test.TestKafkaBroker;
import io.ordersaga.kafka.test.TopicReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

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
		try (KafkaProducer<String, EventEnvelope<?>> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafkaBroker.bootstrapServers()),
				new StringSerializer(), new EventSerializer())) {
			producer.send(new ProducerRecord<>(event.topicName(), event.key(), event));
		}
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

	/** The {@code OrderPlaced} event of an order. */
	@SuppressWarnings("unchecked")
	static EventEnvelope<OrderPlaced> orderPlaced(UUID orderId) {
		return (EventEnvelope<OrderPlaced>) EventCodec.instance().decode("orders", orderPlacedRecord(orderId).value());
	}

}
