package io.ordersaga.runner;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.NotificationSent;
import io.ordersaga.events.OrderCancelled;
import io.ordersaga.events.OrderConfirmed;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.PaymentAuthorized;
import io.ordersaga.events.PaymentDeclined;
import io.ordersaga.events.PaymentRefunded;
import io.ordersaga.events.SagaEvent;
import io.ordersaga.events.Topic;
import io.ordersaga.events.kafka.EventCodec;
import io.ordersaga.events.kafka.EventDeserializationException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The no-Docker way of watching the topics: one readable line per event on every topic of
 * the catalogue, dead-letter topics included, as it is written.
 */
public final class EventTail implements AutoCloseable {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
		.withZone(ZoneId.systemDefault());

	private final KafkaConsumer<String, byte[]> consumer;

	/**
	 * A live view of a Kafka.
	 * @param client how to connect: the bootstrap servers, and in secure mode the
	 * credentials of a principal that may read every topic
	 */
	public EventTail(Map<String, Object> client) {
		Map<String, Object> config = new HashMap<>(client);
		config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
		this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
	}

	/**
	 * Prints every new event until {@link #close()} is called from another thread.
	 * @param out where the lines go
	 */
	public void follow(PrintStream out) {
		List<TopicPartition> partitions = new ArrayList<>();
		for (String topic : Topic.allTopicNames()) {
			this.consumer.partitionsFor(topic)
				.forEach((info) -> partitions.add(new TopicPartition(topic, info.partition())));
		}
		this.consumer.assign(partitions);
		this.consumer.seekToEnd(partitions);
		try {
			while (true) {
				for (ConsumerRecord<String, byte[]> record : this.consumer.poll(Duration.ofMillis(200))) {
					out.println(line(record));
				}
			}
		}
		catch (WakeupException ex) {
			// closing
		}
		finally {
			this.consumer.close();
		}
	}

	@Override
	public void close() {
		this.consumer.wakeup();
	}

	static String line(ConsumerRecord<String, byte[]> record) {
		String prefix = String.format("%s  %-18s %-8s ", TIME.format(Instant.ofEpochMilli(record.timestamp())),
				record.topic(), shortKey(record.key()));
		if (record.topic().endsWith(Topic.DEAD_LETTER_SUFFIX)) {
			Header error = record.headers().lastHeader("kafka_dlt-exception-message");
			return prefix + "DEAD LETTER        " + ((error != null)
					? firstLine(new String(error.value(), StandardCharsets.UTF_8)) : "(no error header)");
		}
		try {
			EventEnvelope<?> event = EventCodec.instance().decode(record.topic(), record.value());
			return prefix + String.format("%-18s %s", event.type().token(), describe(event.data()));
		}
		catch (EventDeserializationException ex) {
			return prefix + "UNREADABLE         " + firstLine(String.valueOf(ex.getMessage()));
		}
	}

	static String describe(SagaEvent event) {
		return switch (event) {
			case OrderPlaced placed -> placed.customerId() + " " + placed.total() + " " + placed.currency() + " ("
					+ placed.items().size() + (placed.items().size() == 1 ? " item)" : " items)");
			case OrderConfirmed confirmed ->
				confirmed.customerId() + " " + confirmed.total() + " " + confirmed.currency();
			case OrderCancelled cancelled -> cancelled.customerId() + " " + cancelled.reason();
			case PaymentAuthorized authorized ->
				authorized.customerId() + " " + authorized.amount() + " " + authorized.currency();
			case PaymentDeclined declined -> declined.customerId() + " " + declined.reason();
			case PaymentRefunded refunded ->
				refunded.customerId() + " " + refunded.amount() + " " + refunded.currency();
			case NotificationSent sent -> sent.customerId() + " " + sent.channel() + " \"" + sent.subject() + "\"";
		};
	}

	/** A message as one line of the view: its first line, cut to 200 characters. */
	private static String firstLine(String message) {
		String line = message.lines().findFirst().orElse("");
		return (line.length() <= 200) ? line : line.substring(0, 200) + "…";
	}

	private static String shortKey(String key) {
		return (key == null) ? "-" : key.substring(0, Math.min(8, key.length()));
	}

}
