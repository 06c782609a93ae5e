package io.ordersaga.events.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.GoldenSamples;
import io.ordersaga.kafka.test.TestKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every event type through a real broker: written with {@link EventSerializer}, read back
 * with {@link EventDeserializer}, with its key and headers. Subclasses say which broker.
 */
abstract class EventRoundTripContract {

	private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

	abstract String bootstrapServers();

	@Test
	void everyEventTypeSurvivesTheBrokerWithKeyAndHeaders() throws Exception {
		String topic = TestKafkaBroker.uniqueName("round-trip");
		TestKafkaBroker.createTopics(bootstrapServers(), 3, topic);
		List<EventEnvelope<?>> sent = GoldenSamples.currentEvents();

		try (KafkaProducer<String, EventEnvelope<?>> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all",
						ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
				new StringSerializer(), new EventSerializer())) {
			for (EventEnvelope<?> event : sent) {
				ProducerRecord<String, EventEnvelope<?>> record = new ProducerRecord<>(topic, event.key(), event);
				record.headers().add("traceparent", TRACEPARENT.getBytes(StandardCharsets.UTF_8));
				producer.send(record).get();
			}
		}

		List<ConsumerRecord<String, EventEnvelope<?>>> received = consume(topic, sent.size());
		assertThat(received).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(sent);
		assertThat(received).allSatisfy((record) -> {
			assertThat(record.key()).isEqualTo(record.value().orderId().toString());
			assertThat(header(record, "traceparent")).isEqualTo(TRACEPARENT);
			assertThat(header(record, EventSerializer.CONTENT_TYPE_HEADER)).isEqualTo(EventCodec.CONTENT_TYPE);
		});
	}

	private List<ConsumerRecord<String, EventEnvelope<?>>> consume(String topic, int count) {
		List<ConsumerRecord<String, EventEnvelope<?>>> received = new ArrayList<>();
		try (KafkaConsumer<String, EventEnvelope<?>> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG,
						TestKafkaBroker.uniqueName("round-trip"), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
				new StringDeserializer(), new EventDeserializer())) {
			consumer.subscribe(List.of(topic));
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (received.size() < count && System.nanoTime() < deadline) {
				consumer.poll(Duration.ofMillis(200)).forEach(received::add);
			}
		}
		return received;
	}

	private static String header(ConsumerRecord<?, ?> record, String name) {
		return Arrays.stream(record.headers().toArray())
			.filter((header) -> header.key().equals(name))
			.map((header) -> new String(header.value(), StandardCharsets.UTF_8))
			.findFirst()
			.orElse("<missing>");
	}

}
