package io.ordersaga.load;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.OrderCancelled;
import io.ordersaga.events.OrderConfirmed;
import io.ordersaga.events.Topic;
import io.ordersaga.events.kafka.EventCodec;
import io.ordersaga.events.kafka.EventDeserializationException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Sees each order end: reads {@code orders} (committed records only, from its end when
 * started) and reports every {@code OrderConfirmed} and {@code OrderCancelled} the moment
 * it arrives. Observing the topic, rather than polling the API, measures when the saga
 * ended, not when a poll happened to look.
 */
final class OutcomeWatcher implements AutoCloseable {

	/** What is told of each final event. */
	interface Listener {

		void ended(UUID orderId, String outcome, long observedNanos);

	}

	private final KafkaConsumer<String, byte[]> consumer;

	private final Thread thread;

	OutcomeWatcher(String bootstrapServers, Listener listener) {
		this.consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ConsumerConfig.ISOLATION_LEVEL_CONFIG,
						"read_committed", ConsumerConfig.CLIENT_ID_CONFIG, "load-generator-outcomes",
						ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000),
				new StringDeserializer(), new ByteArrayDeserializer());
		List<TopicPartition> partitions = this.consumer.partitionsFor(Topic.ORDERS.topicName(), Duration.ofSeconds(30))
			.stream()
			.map((info) -> new TopicPartition(info.topic(), info.partition()))
			.toList();
		this.consumer.assign(partitions);
		this.consumer.seekToEnd(partitions);
		// Resolve the positions now, so that every order sent from here on is seen.
		partitions.forEach(this.consumer::position);
		this.thread = Thread.ofPlatform().name("outcome-watcher").daemon().start(() -> watch(listener));
	}

	private void watch(Listener listener) {
		try {
			while (true) {
				for (ConsumerRecord<String, byte[]> record : this.consumer.poll(Duration.ofMillis(100))) {
					long observed = System.nanoTime();
					if (record.value() == null) {
						continue;
					}
					try {
						EventEnvelope<?> event = EventCodec.instance().decode(Topic.ORDERS.topicName(), record.value());
						if (event.data() instanceof OrderConfirmed) {
							listener.ended(event.orderId(), "CONFIRMED", observed);
						}
						else if (event.data() instanceof OrderCancelled cancelled) {
							listener.ended(event.orderId(), "CANCELLED " + cancelled.reason().code(), observed);
						}
					}
					catch (EventDeserializationException ex) {
						// not an event of the contract; the suite sends it to orders-dlt
					}
				}
			}
		}
		catch (WakeupException ex) {
			// closing
		}
		finally {
			this.consumer.close(Duration.ofSeconds(2));
		}
	}

	@Override
	public void close() {
		this.consumer.wakeup();
		try {
			this.thread.join(Duration.ofSeconds(5));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
