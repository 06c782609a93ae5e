package io.ordersaga.load;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.ordersaga.events.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;

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

	private static final Pattern TYPE = Pattern.compile("\"type\"\\s*:\\s*\"(OrderConfirmed|OrderCancelled)\"");

	private static final Pattern REASON = Pattern.compile("\"reason\"\\s*:\\s*\"([^\"]+)\"");

	private final KafkaConsumer<String, byte[]> consumer;

	private final Thread thread;

	/**
	 * Starts watching from the end of {@code orders}.
	 * @param bootstrapServers the broker
	 * @param timeout how long the broker may take to tell the topic's partitions
	 * @param listener what is told of each final event
	 * @throws SuiteUnreachableException when the broker does not answer in time or has no
	 * {@code orders} topic
	 */
	OutcomeWatcher(String bootstrapServers, Duration timeout, Listener listener) {
		this(bootstrapServers, Map.of(), timeout, listener);
	}

	/**
	 * Starts watching, as a client with security settings.
	 * @param bootstrapServers the broker
	 * @param client the client's security settings (in secure mode, the admin's), or none
	 * @param timeout how long to wait for the broker to answer
	 * @param listener told of each order's end
	 * @throws SuiteUnreachableException when the broker does not answer in time or has no
	 * {@code orders} topic
	 */
	OutcomeWatcher(String bootstrapServers, Map<String, Object> client, Duration timeout, Listener listener) {
		// Kafka's default fetch.max.wait.ms: a fetch is answered as soon as a commit
		// makes
		// records readable, so a shorter wait sees no end sooner and only fetches more
		// often (5 ms cost the generator a sixth of its CPU).
		Map<String, Object> settings = new HashMap<>(client);
		settings.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
				ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.CLIENT_ID_CONFIG,
				"load-generator-outcomes", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000));
		this.consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer());
		List<TopicPartition> partitions;
		try {
			partitions = this.consumer.partitionsFor(Topic.ORDERS.topicName(), timeout)
				.stream()
				.map((info) -> new TopicPartition(info.topic(), info.partition()))
				.toList();
		}
		catch (TimeoutException ex) {
			this.consumer.close(Duration.ZERO);
			throw new SuiteUnreachableException("Kafka does not answer at " + bootstrapServers + " within "
					+ timeout.toSeconds() + " s. Start the suite with ./run, or point --kafka at its broker.", ex);
		}
		if (partitions.isEmpty()) {
			this.consumer.close(Duration.ZERO);
			throw new SuiteUnreachableException("The broker at " + bootstrapServers + " has no topic '"
					+ Topic.ORDERS.topicName() + "', so it is not the suite's. Point --kafka at the suite's broker.");
		}
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
					String outcome = outcome(record.value());
					if (outcome != null && record.key() != null) {
						listener.ended(UUID.fromString(record.key()), outcome, observed);
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

	/**
	 * The outcome an event on {@code orders} tells, if it is a final one. Only the type
	 * and the reason are read, not the whole event: the generator shares the machine with
	 * the suite, and its own CPU would count against the suite's figures.
	 */
	static @Nullable String outcome(byte @Nullable [] value) {
		if (value == null) {
			return null;
		}
		String json = new String(value, StandardCharsets.UTF_8);
		Matcher type = TYPE.matcher(json);
		if (!type.find()) {
			return null;
		}
		if (type.group(1).equals("OrderConfirmed")) {
			return "CONFIRMED";
		}
		Matcher reason = REASON.matcher(json);
		return "CANCELLED " + (reason.find() ? reason.group(1) : "?");
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
