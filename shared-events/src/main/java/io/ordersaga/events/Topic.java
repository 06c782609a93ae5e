package io.ordersaga.events;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.kafka.common.config.TopicConfig;

/**
 * The saga's topics: their names, their key and the event types each carries. Each topic
 * has a dead-letter topic with the same partition count and key, which receives the
 * records its consumers could not process. Partition counts and settings are the
 * {@link TopicCatalogue}'s, the one list of every topic of the suite, which all topic
 * provisioning reads.
 */
public enum Topic {

	/** The order's lifecycle, written by order-service. */
	ORDERS("orders"),

	/** Payment outcomes, written by payment-service. */
	PAYMENTS("payments"),

	/** Notifications sent to customers, written by notification-service. */
	NOTIFICATIONS("notifications");

	/**
	 * The settings of a topic that keeps every record: services rebuild their read models
	 * from the catalogue's topics, so a record they lose is an order, a payment or a
	 * notification lost. Dead-letter topics keep the broker's default (7 days): the
	 * records they copy stay in the topics they came from.
	 */
	public static final Map<String, String> KEEP_EVERY_RECORD = Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1");

	/** The suffix that names a topic's dead-letter topic. */
	public static final String DEAD_LETTER_SUFFIX = "-dlt";

	/**
	 * Every record's key on every topic: the order id, so one order's events stay in
	 * order.
	 */
	public static final String KEY = "orderId";

	private final String topicName;

	Topic(String topicName) {
		this.topicName = topicName;
	}

	/**
	 * The topic's name on the broker.
	 * @return for example {@code orders}
	 */
	public String topicName() {
		return this.topicName;
	}

	/**
	 * The partition count, shared by the dead-letter topic.
	 * @return the number of partitions
	 */
	public int partitions() {
		return TopicCatalogue.entry(this.topicName).partitions();
	}

	/**
	 * The topic's own settings, for whoever creates it.
	 * @return the catalogue's: {@link #KEEP_EVERY_RECORD}, the saga's topics are the
	 * system of record
	 */
	public Map<String, String> configs() {
		return TopicCatalogue.entry(this.topicName).configs();
	}

	/**
	 * The name of the topic that receives records this topic's consumers could not
	 * process.
	 * @return for example {@code orders-dlt}
	 */
	public String deadLetterTopicName() {
		return this.topicName + DEAD_LETTER_SUFFIX;
	}

	/**
	 * The event types published to this topic.
	 * @return the types, in declaration order
	 */
	public List<EventType> eventTypes() {
		return Arrays.stream(EventType.values()).filter((type) -> type.topic() == this).toList();
	}

	/**
	 * Whether an event type may appear on this topic.
	 * @param type an event type
	 * @return {@code true} if the catalogue puts it here
	 */
	public boolean carries(EventType type) {
		return type.topic() == this;
	}

	/**
	 * Looks up a topic by its name or the name of its dead-letter topic.
	 * @param name a topic name
	 * @return the topic, or empty if the name is not in the catalogue
	 */
	public static Optional<Topic> forName(String name) {
		return Arrays.stream(values())
			.filter((topic) -> topic.topicName.equals(name) || topic.deadLetterTopicName().equals(name))
			.findFirst();
	}

	/**
	 * Every topic name to provision, dead-letter topics included.
	 * @return the names, each topic followed by its dead-letter topic
	 */
	public static List<String> allTopicNames() {
		return Arrays.stream(values())
			.flatMap((topic) -> Stream.of(topic.topicName, topic.deadLetterTopicName()))
			.toList();
	}

}
