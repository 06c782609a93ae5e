package io.ordersaga.kafka.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Exit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class TestKafkaBrokerTests {

	@Test
	void isTheSameBrokerForEveryCaller() {
		assertThat(TestKafkaBroker.bootstrapServers()).isEqualTo(TestKafkaBroker.bootstrapServers());
	}

	@Test
	void theBrokerCannotEndTheJvmItSharesWithTheTests() {
		TestKafkaBroker.bootstrapServers();

		assertThatIllegalStateException().isThrownBy(() -> Exit.halt(1, "all log dirs have failed"))
			.withMessageContaining("status 1: all log dirs have failed");
		assertThatIllegalStateException().isThrownBy(() -> Exit.exit(1)).withMessageContaining("status 1");
	}

	@Test
	void supportsTransactionsSoExactlyOnceCodeCanBeTested() {
		String topic = TestKafkaBroker.uniqueName("tx");
		TestKafkaBroker.createTopics(3, topic);

		try (KafkaProducer<String, String> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafkaBroker.bootstrapServers(),
						ProducerConfig.TRANSACTIONAL_ID_CONFIG, TestKafkaBroker.uniqueName("tx-producer")),
				new StringSerializer(), new StringSerializer())) {
			producer.initTransactions();
			producer.beginTransaction();
			producer.send(new ProducerRecord<>(topic, "k", "aborted"));
			producer.abortTransaction();
			producer.beginTransaction();
			producer.send(new ProducerRecord<>(topic, "k", "committed"));
			producer.commitTransaction();
		}

		assertThat(readCommitted(topic)).containsExactly("committed");
	}

	private static List<String> readCommitted(String topic) {
		List<String> values = new ArrayList<>();
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafkaBroker.bootstrapServers(),
						ConsumerConfig.GROUP_ID_CONFIG, TestKafkaBroker.uniqueName("reader"),
						ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ISOLATION_LEVEL_CONFIG,
						"read_committed"),
				new StringDeserializer(), new StringDeserializer())) {
			consumer.subscribe(List.of(topic));
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (values.isEmpty() && System.nanoTime() < deadline) {
				for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
					values.add(record.value());
				}
			}
		}
		return values;
	}

}
