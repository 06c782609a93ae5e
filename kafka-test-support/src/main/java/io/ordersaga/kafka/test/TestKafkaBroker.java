package io.ordersaga.kafka.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.AppInfoParser;
import org.jspecify.annotations.Nullable;

/**
 * The Kafka broker shared by every test in this JVM. It starts on first use (about three
 * seconds) and stops when the JVM exits, so a test class pays for it at most once per
 * module. At exit it waits for the application contexts that use it to close first (each
 * holds a {@link #lease()}): Spring closes cached test contexts in shutdown hooks of
 * their own, and a Kafka Streams client whose broker went away first cannot commit, waits
 * out its close timeout and leaves its RocksDB stores open while the JVM ends. Tests stay
 * independent by using their own topics and group ids, see {@link #uniqueName(String)}.
 */
public final class TestKafkaBroker {

	/**
	 * System property choosing the broker: {@code embedded} (default) or
	 * {@code container}.
	 */
	public static final String MODE_PROPERTY = "ordersaga.test.kafka";

	/**
	 * The image used in container mode: the Kafka version of the clients on the class
	 * path, which the build's {@code kafka.version} decides.
	 */
	public static final String KAFKA_IMAGE = "apache/kafka:" + AppInfoParser.getVersion();

	private static final Duration LEASES_AT_EXIT = Duration.ofSeconds(20);

	private static @Nullable RunningBroker broker;

	private static int leases;

	private TestKafkaBroker() {
	}

	/**
	 * The bootstrap servers of the shared broker, starting it if needed.
	 * @return a {@code host:port} list for {@code bootstrap.servers}
	 */
	public static synchronized String bootstrapServers() {
		RunningBroker running = broker;
		if (running == null) {
			running = start(System.getProperty(MODE_PROPERTY, "embedded"));
			broker = running;
			RunningBroker stopping = running;
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				awaitLeasesReturned(LEASES_AT_EXIT);
				stopping.close();
			}, "test-kafka-broker-shutdown"));
		}
		return running.bootstrapServers();
	}

	/**
	 * Keeps the shared broker running at JVM exit until the lease is closed, for a client
	 * that shuts down in a shutdown hook of its own, such as a Spring test context.
	 * @return the lease; closing it more than once returns it once
	 */
	public static AutoCloseable lease() {
		synchronized (TestKafkaBroker.class) {
			leases++;
		}
		AtomicBoolean returned = new AtomicBoolean();
		return () -> {
			if (returned.compareAndSet(false, true)) {
				synchronized (TestKafkaBroker.class) {
					leases--;
					TestKafkaBroker.class.notifyAll();
				}
			}
		};
	}

	/**
	 * How many leases are open.
	 * @return the count
	 */
	static synchronized int openLeases() {
		return leases;
	}

	private static synchronized void awaitLeasesReturned(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		try {
			while (leases > 0) {
				long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
				if (left <= 0) {
					return;
				}
				TestKafkaBroker.class.wait(left);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Starts a broker of its own, a cluster apart from the shared one, for a test about a
	 * cluster that is replaced; the caller closes it.
	 * @return the broker
	 */
	public static RunningBroker startSeparate() {
		return start(System.getProperty(MODE_PROPERTY, "embedded"));
	}

	/**
	 * A name no other test in this JVM uses, for topics and consumer groups.
	 * @param prefix a readable prefix, usually the test's subject
	 * @return {@code prefix} followed by a random suffix
	 */
	public static String uniqueName(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

	/**
	 * Creates topics on the shared broker and waits until they exist.
	 * @param partitions the partition count of each topic
	 * @param names the topic names
	 */
	public static void createTopics(int partitions, String... names) {
		createTopics(bootstrapServers(), partitions, names);
	}

	/**
	 * Creates topics on any broker, unless they exist, and waits until they are listed.
	 * Their replication factor is the broker's default, as for the suite's own topics.
	 * @param bootstrapServers the broker
	 * @param partitions the partition count of each topic
	 * @param names the topic names
	 */
	public static void createTopics(String bootstrapServers, int partitions, String... names) {
		List<NewTopic> topics = new ArrayList<>();
		for (String name : names) {
			topics.add(new NewTopic(name, Optional.of(partitions), Optional.empty()));
		}
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
			try {
				admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
			}
			catch (ExecutionException ex) {
				if (!(ex.getCause() instanceof TopicExistsException)) {
					throw ex;
				}
			}
			waitUntilListed(admin, Set.of(names));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while creating topics " + List.of(names), ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Could not create topics " + List.of(names), ex);
		}
	}

	/**
	 * Writes one record to the shared broker and waits for the acknowledgement, as
	 * another service (or a misbehaving client) would.
	 * @param topic the topic
	 * @param key the key
	 * @param value the value, already serialized
	 */
	public static void send(String topic, String key, byte[] value) {
		send(topic, key, List.of(value));
	}

	/**
	 * Writes records with one key to the shared broker, in order, and waits for the
	 * acknowledgement of the last.
	 * @param topic the topic
	 * @param key the key of every record
	 * @param values the values, already serialized; {@code null} for a tombstone
	 */
	public static void send(String topic, String key, List<byte @Nullable []> values) {
		send(values.stream().map((value) -> new ProducerRecord<String, byte @Nullable []>(topic, key, value)).toList());
	}

	/**
	 * Writes records to the shared broker, in order, and waits for the acknowledgement of
	 * them all.
	 * @param records the records, their values already serialized
	 */
	public static void send(List<ProducerRecord<String, byte @Nullable []>> records) {
		try (KafkaProducer<String, byte @Nullable []> producer = new KafkaProducer<String, byte @Nullable []>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()), new StringSerializer(),
				new ByteArraySerializer())) {
			List<Future<RecordMetadata>> sent = new ArrayList<>();
			for (ProducerRecord<String, byte @Nullable []> record : records) {
				sent.add(producer.send(record));
			}
			for (Future<RecordMetadata> each : sent) {
				each.get(30, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Could not write the records", ex);
		}
	}

	private static void waitUntilListed(Admin admin, Set<String> names)
			throws InterruptedException, ExecutionException, TimeoutException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (!admin.listTopics().names().get(30, TimeUnit.SECONDS).containsAll(names)) {
			if (System.nanoTime() > deadline) {
				throw new TimeoutException("Topics " + names + " were created but never listed");
			}
			Thread.onSpinWait();
		}
	}

	private static RunningBroker start(String mode) {
		return switch (mode) {
			case "embedded" -> new EmbeddedBroker();
			case "container" -> new ContainerBroker();
			default -> throw new IllegalArgumentException(
					"Unknown " + MODE_PROPERTY + "=" + mode + "; use 'embedded' (default) or 'container'");
		};
	}

	/** A running broker. */
	public interface RunningBroker extends AutoCloseable {

		/**
		 * Where clients find it.
		 * @return its bootstrap servers
		 */
		String bootstrapServers();

		@Override
		void close();

	}

}
