package io.ordersaga.payment;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.LineItem;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.kafka.EventSerializer;
import io.ordersaga.kafka.test.TestKafkaBroker;
import io.ordersaga.payment.account.AccountCommand;
import io.ordersaga.payment.account.AccountCommands;
import io.ordersaga.payment.account.PaymentTopics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Not a test (its name keeps it out of the test run): measures how many orders per second
 * one payment-service instance charges, exactly-once, on the in-process broker. Run with
 * {@code ./mvnw -pl payment-service -am test -Dtest=ChargeThroughputBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}; {@code -Dorders=} and {@code -Dcustomers=}
 * size it.
 */
class ChargeThroughputBenchmark {

	private static final Currency EUR = Currency.getInstance("EUR");

	@Test
	void chargeThroughputOfOneInstance() throws Exception {
		int orders = Integer.getInteger("orders", 20_000);
		int customers = Integer.getInteger("customers", 200);
		String bootstrap = TestKafkaBroker.bootstrapServers();
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(PaymentServiceApplication.class).run(
				"--server.port=0", "--spring.kafka.bootstrap-servers=" + bootstrap,
				"--spring.kafka.streams.state-dir=" + Files.createTempDirectory("charge-benchmark"),
				"--logging.level.io.ordersaga=WARN");
				KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
						Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 5,
								ProducerConfig.BATCH_SIZE_CONFIG, 131072),
						new StringSerializer(), new ByteArraySerializer())) {
			String run = UUID.randomUUID().toString().substring(0, 8);
			for (int c = 0; c < customers; c++) {
				String customer = "bench-" + run + "-" + c;
				producer.send(new ProducerRecord<>(PaymentTopics.ACCOUNT_COMMANDS, customer, AccountCommands
					.write(new AccountCommand.Open(UUID.randomUUID(), customer, EUR, new BigDecimal("100000.00")))));
			}
			Set<String> orderIds = new HashSet<>();
			EventSerializer serializer = new EventSerializer();
			long start = System.nanoTime();
			for (int i = 0; i < orders; i++) {
				EventEnvelope<OrderPlaced> order = EventEnvelope.first("/benchmark", UUID.randomUUID(),
						OrderPlaced.of("bench-" + run + "-" + (i % customers), EUR,
								List.of(new LineItem("SKU-1", 1, new BigDecimal("1.00")))));
				orderIds.add(order.key());
				producer.send(new ProducerRecord<>("orders", order.key(), serializer.serialize("orders", order)));
			}
			producer.flush();
			long produced = System.nanoTime();
			int answered = awaitOutcomes(bootstrap, orderIds);
			long done = System.nanoTime();
			double seconds = (done - start) / 1e9;
			System.out.printf(
					"%nCHARGE BENCHMARK: %d orders for %d customers, %d outcomes in %.2f s "
							+ "(produced in %.2f s): %.0f orders/s charged by one instance%n%n",
					orders, customers, answered, seconds, (produced - start) / 1e9, answered / seconds);
		}
	}

	private static int awaitOutcomes(String bootstrap, Set<String> orderIds) {
		Set<String> pending = new HashSet<>(orderIds);
		try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ISOLATION_LEVEL_CONFIG,
						"read_committed"),
				new StringDeserializer(), new ByteArrayDeserializer())) {
			List<TopicPartition> partitions = consumer.partitionsFor("payments")
				.stream()
				.map((p) -> new TopicPartition("payments", p.partition()))
				.toList();
			consumer.assign(partitions);
			consumer.seekToBeginning(partitions);
			long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
			while (!pending.isEmpty() && System.nanoTime() < deadline) {
				consumer.poll(Duration.ofMillis(100)).forEach((record) -> pending.remove(record.key()));
			}
		}
		return orderIds.size() - pending.size();
	}

}
