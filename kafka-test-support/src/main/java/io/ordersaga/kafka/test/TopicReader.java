package io.ordersaga.kafka.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic of the shared test broker from the beginning, committed records only, the
 * way an outside observer would: no consumer group, nothing committed.
 */
public final class TopicReader {

	private TopicReader() {
	}

	/**
	 * Reads everything a topic holds now, committed records only: a negative check
	 * ("nothing else was written") can rely on it, where reading for a while cannot.
	 * @param topic the topic
	 * @param timeout how long the reading may take
	 * @return every record up to each partition's end as it was when called
	 */
	public static List<ConsumerRecord<String, byte[]>> readToEnd(String topic, Duration timeout) {
		List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = committedReader()) {
			List<TopicPartition> partitions = partitions(consumer, topic);
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
			long deadline = System.nanoTime() + timeout.toNanos();
			while (ends.entrySet().stream().anyMatch((end) -> consumer.position(end.getKey()) < end.getValue())) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("Could not read " + topic + " to its end within " + timeout);
				}
				consumer.poll(Duration.ofMillis(100)).forEach(records::add);
			}
		}
		return records;
	}

	/**
	 * Reads until what was read satisfies a condition, or the time is up.
	 * @param topic the topic
	 * @param until the condition on all records read so far
	 * @param timeout how long to keep reading
	 * @return every record read, in partition order
	 */
	public static List<ConsumerRecord<String, byte[]>> readUntil(String topic,
			Predicate<List<ConsumerRecord<String, byte[]>>> until, Duration timeout) {
		List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
		try (KafkaConsumer<String, byte[]> consumer = committedReader()) {
			List<TopicPartition> partitions = partitions(consumer, topic);
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			long deadline = System.nanoTime() + timeout.toNanos();
			while (!until.test(records) && System.nanoTime() < deadline) {
				consumer.poll(Duration.ofMillis(100)).forEach(records::add);
			}
		}
		return records;
	}

	private static KafkaConsumer<String, byte[]> committedReader() {
		return new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafkaBroker.bootstrapServers(),
						ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
				new StringDeserializer(), new ByteArrayDeserializer());
	}

	private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, String topic) {
		return consumer.partitionsFor(topic)
			.stream()
			.map((info) -> new TopicPartition(topic, info.partition()))
			.toList();
	}

}
