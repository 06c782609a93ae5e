package io.ordersaga.runner;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.LineItem;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.PaymentAuthorized;
import io.ordersaga.events.Topic;
import io.ordersaga.events.kafka.EventCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.jspecify.annotations.Nullable;

/**
 * Records a careless or hostile client writes to the suite's topics: malformed, with an
 * absurd amount, larger than any event, with headers larger than any record needs, keyed
 * by something else than their order, or commands that would take money. Each is written
 * to a partition of its choosing, as any client can.
 */
final class PoisonRecords {

	/**
	 * payment-service's command topic (a literal: the service's classes are not here).
	 */
	static final String ACCOUNT_COMMANDS = "payment-account-commands";

	private static final Currency EUR = Currency.getInstance("EUR");

	private final Map<String, Object> client;

	PoisonRecords(String bootstrapServers) {
		this(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
	}

	/**
	 * Poison for a Kafka that asks for credentials.
	 * @param client the bootstrap servers and, in secure mode, the credentials
	 */
	PoisonRecords(Map<String, Object> client) {
		this.client = Map.copyOf(client);
	}

	/**
	 * Writes every kind of poison to every partition of every topic a service consumes:
	 * {@code orders}, {@code payments}, {@code notifications} and payment-service's
	 * commands.
	 * @return what was written, with the dead-letter topic it must end in (none for
	 * {@code notifications}, which only read models follow: they skip what they cannot
	 * read)
	 */
	List<Injected> injectEverywhere() {
		List<Injected> injected = new ArrayList<>();
		Map<String, Object> settings = new HashMap<>(this.client);
		settings
			.putAll(Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024));
		try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(settings, new StringSerializer(),
				new ByteArraySerializer())) {
			for (int partition = 0; partition < 3; partition++) {
				for (Topic topic : Topic.values()) {
					injected.addAll(events(topic, partition));
				}
				injected.addAll(commands(partition));
			}
			List<Future<RecordMetadata>> written = new ArrayList<>();
			for (Injected record : injected) {
				written.add(producer.send(new ProducerRecord<>(record.topic(), record.partition(), record.key(),
						record.value(), record.headers())));
			}
			List<Injected> withOffsets = new ArrayList<>();
			for (int i = 0; i < injected.size(); i++) {
				withOffsets.add(injected.get(i).at(written.get(i).get(30, TimeUnit.SECONDS).offset()));
			}
			return withOffsets;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Could not write the poison records", ex);
		}
	}

	private List<Injected> events(Topic topic, int partition) {
		String dlt = (topic == Topic.NOTIFICATIONS) ? null : topic.deadLetterTopicName();
		String name = topic.topicName();
		List<Injected> records = new ArrayList<>();
		records.add(new Injected("malformed JSON", name, partition, key(), utf8("{\"type\":\"OrderPlaced\",\"data\":"),
				new RecordHeaders(), dlt));
		records.add(new Injected("a value larger than any event", name, partition, key(), oversized(),
				new RecordHeaders(), dlt));
		records.add(new Injected("headers larger than any record needs", name, partition, key(), utf8("not an event"),
				largeHeaders(), dlt));
		if (topic != Topic.NOTIFICATIONS) {
			EventEnvelope<?> event = (topic == Topic.ORDERS) ? order() : payment();
			String absurd = new String(EventCodec.instance().encode(event), StandardCharsets.UTF_8).replace("\"12.50\"",
					"\"1E+10000000\"");
			records.add(new Injected("an amount of ten million digits", name, partition, event.key(), utf8(absurd),
					new RecordHeaders(), dlt));
			records.add(new Injected("a key that is not its order", name, partition, key(),
					EventCodec.instance().encode(event), new RecordHeaders(), dlt));
		}
		return records;
	}

	private List<Injected> commands(int partition) {
		String dlt = ACCOUNT_COMMANDS + Topic.DEAD_LETTER_SUFFIX;
		String victim = "e2e-victim-" + UUID.randomUUID().toString().substring(0, 8);
		List<Injected> records = new ArrayList<>();
		records.add(new Injected("malformed JSON", ACCOUNT_COMMANDS, partition, victim, utf8("{\"type\":"),
				new RecordHeaders(), dlt));
		records.add(new Injected("a credit of -400", ACCOUNT_COMMANDS, partition, victim, credit(victim, "-400.00"),
				new RecordHeaders(), dlt));
		records.add(new Injected("a credit of ten million digits", ACCOUNT_COMMANDS, partition, victim,
				credit(victim, "1E+10000000"), new RecordHeaders(), dlt));
		String thief = "e2e-thief-" + UUID.randomUUID().toString().substring(0, 8);
		records.add(new Injected("a credit keyed by another customer", ACCOUNT_COMMANDS, partition, thief,
				credit(victim, "1000.00"), new RecordHeaders(), dlt));
		records.add(new Injected("a value larger than any command", ACCOUNT_COMMANDS, partition, victim, oversized(),
				new RecordHeaders(), dlt));
		return records;
	}

	/**
	 * The dead letters of a record, as its consumers wrote them: one per consuming
	 * service.
	 * @param injected the record
	 * @return the dead letters that say they come from the record's topic, partition and
	 * offset
	 */
	List<ConsumerRecord<String, byte[]>> deadLettersOf(Injected injected) {
		if (injected.deadLetterTopic() == null) {
			return List.of();
		}
		return TopicContents.records(this.client, injected.deadLetterTopic())
			.stream()
			.filter((record) -> injected.topic().equals(header(record, "kafka_dlt-original-topic"))
					&& injected.partition() == ByteBuffer
						.wrap(record.headers().lastHeader("kafka_dlt-original-partition").value())
						.getInt()
					&& injected.offset() == ByteBuffer
						.wrap(record.headers().lastHeader("kafka_dlt-original-offset").value())
						.getLong())
			.toList();
	}

	/**
	 * The partition Kafka's producer chooses for a key, as for every record the services
	 * write.
	 * @param key the key
	 * @param partitions the topic's partition count
	 * @return the partition
	 */
	static int partitionOf(String key, int partitions) {
		return Utils.toPositive(Utils.murmur2(utf8(key))) % partitions;
	}

	static @Nullable String header(ConsumerRecord<String, byte[]> record, String name) {
		Header header = record.headers().lastHeader(name);
		return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

	private static EventEnvelope<OrderPlaced> order() {
		return EventEnvelope.first("/order-service", UUID.randomUUID(),
				OrderPlaced.of("e2e-poison", EUR, List.of(new LineItem("BOOK-1", 1, new BigDecimal("12.50")))));
	}

	private static EventEnvelope<PaymentAuthorized> payment() {
		return order().causes("/payment-service", new PaymentAuthorized("e2e-poison", new BigDecimal("12.50"), EUR));
	}

	private static byte[] credit(String customer, String amount) {
		return utf8("{\"type\":\"Credit\",\"commandId\":\"" + UUID.randomUUID() + "\",\"customerId\":\"" + customer
				+ "\",\"amount\":\"" + amount + "\",\"currency\":\"EUR\"}");
	}

	/** 900 KB whose type would be repeated by an error message that quoted it. */
	private static byte[] oversized() {
		return utf8("{\"specversion\":\"1.0\",\"type\":\"" + "X".repeat(900_000) + "\"}");
	}

	private static RecordHeaders largeHeaders() {
		RecordHeaders headers = new RecordHeaders();
		headers.add("traceparent", new byte[300_000]);
		headers.add("junk", new byte[300_000]);
		return headers;
	}

	private static String key() {
		return UUID.randomUUID().toString();
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * One poison record.
	 *
	 * @param kind what is wrong with it
	 * @param topic where it was written
	 * @param partition to which partition
	 * @param key its key
	 * @param value its value
	 * @param headers its headers
	 * @param deadLetterTopic where its consumers must put it, or {@code null}
	 * @param offset where it was written, once it was
	 */
	record Injected(String kind, String topic, int partition, String key, byte[] value, RecordHeaders headers,
			@Nullable String deadLetterTopic, long offset) {

		Injected(String kind, String topic, int partition, String key, byte[] value, RecordHeaders headers,
				@Nullable String deadLetterTopic) {
			this(kind, topic, partition, key, value, headers, deadLetterTopic, -1);
		}

		Injected at(long writtenAt) {
			return new Injected(this.kind, this.topic, this.partition, this.key, this.value, this.headers,
					this.deadLetterTopic, writtenAt);
		}

		@Override
		public String toString() {
			return this.kind + " on " + this.topic + "-" + this.partition;
		}

	}

}
