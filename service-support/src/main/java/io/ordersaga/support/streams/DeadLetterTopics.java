package io.ordersaga.support.streams;

import io.ordersaga.events.Topic;

/**
 * Where the dead letters of each topic a service's topology reads go. By default a topic
 * of the catalogue's dead letters go to its dead-letter topic, and any other topic's to
 * {@code <topic>-dlt}; a service whose topology reads a topic of its own (a repartition
 * topic, say) declares a bean of this type to say where that topic's go.
 */
@FunctionalInterface
public interface DeadLetterTopics {

	/**
	 * The dead-letter topic of a topic records are read from.
	 * @param sourceTopic the topic
	 * @return its dead-letter topic
	 */
	String deadLetterTopic(String sourceTopic);

	/**
	 * The standard dead-letter topic of a topic: a catalogue topic's own, and
	 * {@code <topic>-dlt} for any other.
	 * @param sourceTopic the topic
	 * @return for example {@code payments-dlt}
	 */
	static String standard(String sourceTopic) {
		return Topic.forName(sourceTopic)
			.map(Topic::deadLetterTopicName)
			.orElse(sourceTopic + Topic.DEAD_LETTER_SUFFIX);
	}

}
