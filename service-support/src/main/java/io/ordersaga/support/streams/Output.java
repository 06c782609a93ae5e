package io.ordersaga.support.streams;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.kafka.EventCodec;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * What a topology's processor writes: a value in its wire form and the topic it goes to.
 * Every topology routes its outputs to their topics with {@link #toTopics}, one sink for
 * all of them, instead of a branch and a sink per kind of output.
 *
 * @param topic the topic
 * @param value the record's value, as it goes on the wire
 */
public record Output(String topic, byte[] value) {

	private static final Serde<Output> SERDE = Serdes.serdeFrom((topic, output) -> output.value(), (topic, bytes) -> {
		throw new UnsupportedOperationException("outputs are only written");
	});

	/**
	 * An event for the topic of its type.
	 * @param event the event
	 * @return the output
	 */
	public static Output event(EventEnvelope<?> event) {
		return event(event.topicName(), event);
	}

	/**
	 * An event for a topic of the service's own.
	 * @param topic the topic
	 * @param event the event
	 * @return the output
	 */
	public static Output event(String topic, EventEnvelope<?> event) {
		return new Output(topic, EventCodec.instance().encode(event));
	}

	/**
	 * Writes each output to its topic, partitioned by key as the producer does.
	 * @param outputs the outputs
	 * @param name the sink's name
	 */
	public static void toTopics(KStream<String, Output> outputs, String name) {
		// No partitioner: with one, Kafka Streams looks the topic's partitions up for
		// every record it sends.
		outputs.to((key, output, context) -> output.topic(), Produced.with(Serdes.String(), SERDE).withName(name));
	}

	/**
	 * Writes each output to its topic, in the partition a partitioner chooses (at the
	 * cost of a look-up of the topic's partitions for every record).
	 * @param outputs the outputs
	 * @param name the sink's name
	 * @param partitioner the partition of an output; empty for the producer's choice by
	 * key
	 */
	public static void toTopics(KStream<String, Output> outputs, String name,
			StreamPartitioner<String, Output> partitioner) {
		outputs.to((key, output, context) -> output.topic(),
				Produced.with(Serdes.String(), SERDE).withName(name).withStreamPartitioner(partitioner));
	}

}
