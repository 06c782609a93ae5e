package io.ordersaga.runner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.Topic;
import io.ordersaga.events.kafka.EventCodec;
import io.ordersaga.events.kafka.EventDeserializationException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Every committed record of a topic, read from the beginning to its current end. */
final class TopicContents {

	private TopicContents() {
	}

	/**
	 * Reads a topic of the catalogue.
	 * @param bootstrapServers the broker
	 * @param topic the topic
	 * @return its events in partition order; records that are not events are left out
	 */
	static List<EventEnvelope<?>> read(String bootstrapServers, Topic topic) {
		List<EventEnvelope<?>> events = new ArrayList<>();
		for (ConsumerRecord<String, byte[]> record : records(bootstrapServers, topic.topicName())) {
			if (record.value() == null) {
				continue;
			}
			try {
				events.add(EventCodec.instance().decode(topic.topicName(), record.value()));
			}
			catch (EventDeserializationException ex) {
				// a malformed record some test injected on purpose
			}
		}
		return events;
	}

	/**
	 * Reads any topic's records.
	 * @param bootstrapServers the broker
	 * @param topic the topic
	 * @return its committed records in partition order
	 */
	static List<ConsumerRecord<String, byte[]>> records(String bootstrapServers, String topic) {
		return records(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topic);
	}

	/**
	 * Reads any topic's records.
	 * @param client how to connect: the bootstrap servers, and in secure mode the
	 * credentials
	 * @param topic the topic
	 * @return its committed records in partition order
	 */
	static List<ConsumerRecord<String, byte[]>> records(Map<String, Object> client, String topic) {
		List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
		Map<String, Object> settings = new HashMap<>(client);
		settings.putAll(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
				ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000));
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
				new ByteArrayDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor(topic)
				.stream()
				.map((info) -> new TopicPartition(info.topic(), info.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
			while (partitions.stream().anyMatch((partition) -> consumer.position(partition) < ends.get(partition))) {
				consumer.poll(Duration.ofMillis(200)).forEach(records::add);
			}
		}
		return records;
	}

}
