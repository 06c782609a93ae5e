package io.ordersaga.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Every topic of the suite, with its partition count and settings, as
 * {@code io/ordersaga/events/topics.txt} lists them. That file is the one catalogue: the
 * services create its topics at start-up, the one-command run before it starts them,
 * docker compose's topic job reads it from a mount, and the tests check what the broker
 * ends with against it. {@link Topic} names the saga's topics and the events on them; its
 * partition counts and settings come from here.
 */
public final class TopicCatalogue {

	/** Where the catalogue is, on the class path and in the repository under it. */
	public static final String RESOURCE = "io/ordersaga/events/topics.txt";

	private static final List<Entry> ENTRIES = load();

	private TopicCatalogue() {
	}

	/**
	 * Every topic, in the catalogue's order.
	 * @return the topics
	 */
	public static List<Entry> entries() {
		return ENTRIES;
	}

	/**
	 * A topic of the catalogue.
	 * @param name its name
	 * @return the topic
	 * @throws IllegalArgumentException if the catalogue does not list it
	 */
	public static Entry entry(String name) {
		return find(name).orElseThrow(() -> new IllegalArgumentException(name + " is not in " + RESOURCE));
	}

	/**
	 * A topic of the catalogue, if it lists it.
	 * @param name its name
	 * @return the topic, or empty
	 */
	public static Optional<Entry> find(String name) {
		return ENTRIES.stream().filter((entry) -> entry.name().equals(name)).findFirst();
	}

	/**
	 * Creates topics that do not exist yet; an existing one is left as it is.
	 * @param admin a client of the cluster
	 * @param topics the topics
	 * @param replication how they are replicated
	 * @param timeout how long to wait for the cluster
	 * @throws IllegalStateException if a topic could not be created in time
	 */
	public static void create(Admin admin, Collection<Entry> topics, Replication replication, Duration timeout) {
		for (Entry topic : topics) {
			try {
				admin.createTopics(List.of(topic.newTopic(replication)))
					.all()
					.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (ExecutionException ex) {
				if (!(ex.getCause() instanceof TopicExistsException)) {
					throw new IllegalStateException("Could not create topic " + topic.name(), ex.getCause());
				}
			}
			catch (TimeoutException ex) {
				throw new IllegalStateException("Kafka did not create topic " + topic.name() + " within " + timeout,
						ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while creating topic " + topic.name(), ex);
			}
		}
	}

	/**
	 * Reads a catalogue: one topic per line, {@code <name> <partitions> [<config>=<value>
	 * ...]}; blank lines and lines starting with {@code #} are skipped.
	 * @param text the catalogue
	 * @return its topics
	 * @throws IllegalArgumentException for a line that breaks the format
	 */
	static List<Entry> parse(String text) {
		List<Entry> entries = new ArrayList<>();
		for (String line : text.split("\n")) {
			String trimmed = line.strip();
			if (trimmed.isEmpty() || trimmed.startsWith("#")) {
				continue;
			}
			String[] fields = trimmed.split("\\s+");
			if (fields.length < 2 || !fields[1].matches("[1-9][0-9]*")) {
				throw new IllegalArgumentException("Not '<name> <partitions> [<config>=<value> ...]': " + line);
			}
			Map<String, String> configs = new LinkedHashMap<>();
			for (int i = 2; i < fields.length; i++) {
				int equals = fields[i].indexOf('=');
				if (equals <= 0) {
					throw new IllegalArgumentException("Not '<config>=<value>': " + fields[i] + " in " + line);
				}
				configs.put(fields[i].substring(0, equals), fields[i].substring(equals + 1));
			}
			entries.add(new Entry(fields[0], Integer.parseInt(fields[1]), configs));
		}
		return List.copyOf(entries);
	}

	private static List<Entry> load() {
		try (InputStream in = Objects
			.requireNonNull(TopicCatalogue.class.getClassLoader().getResourceAsStream(RESOURCE), RESOURCE)) {
			return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A topic of the catalogue.
	 *
	 * @param name its name
	 * @param partitions its partition count
	 * @param configs its settings beyond the broker's defaults
	 */
	public record Entry(String name, int partitions, Map<String, String> configs) {

		public Entry {
			configs = Map.copyOf(configs);
		}

		/**
		 * The topic as the admin client creates it.
		 * @param replication how it is replicated; its {@code min.insync.replicas}, where
		 * set, overrides the catalogue's
		 * @return the new topic
		 */
		public NewTopic newTopic(Replication replication) {
			Map<String, String> configs = new LinkedHashMap<>(this.configs);
			configs.putAll(replication.topicConfigs());
			return new NewTopic(this.name, Optional.of(this.partitions), replication.factorOrDefault())
				.configs(configs);
		}

	}

}
