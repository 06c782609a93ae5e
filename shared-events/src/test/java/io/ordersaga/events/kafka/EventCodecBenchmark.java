package io.ordersaga.events.kafka;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.GoldenSamples;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Not a test (its name keeps it out of the test run): measures how long the codec takes
 * to read and to write each event of the contract, and how long binding a payload takes
 * directly ({@link PayloadBinder}) and with Jackson's data binding. Run with:
 *
 * <pre>
 * ./mvnw -pl shared-events -am test -Dtest=EventCodecBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * {@code -Devents=} sizes a round.
 */
class EventCodecBenchmark {

	private static final int ROUNDS = 10;

	@Test
	void decodeAndEncodeCostPerEvent() {
		int events = Integer.getInteger("events", 100_000);
		EventCodec codec = EventCodec.instance();
		for (EventEnvelope<?> event : GoldenSamples.currentEvents()) {
			byte[] json = codec.encode(event);
			String topic = event.topicName();
			JsonNode data = codec.toTree(event).get("data");
			Class<?> type = event.type().payloadType();
			double decode = Double.MAX_VALUE;
			double encode = Double.MAX_VALUE;
			double direct = Double.MAX_VALUE;
			double jackson = Double.MAX_VALUE;
			long check = 0;
			for (int round = 0; round < ROUNDS; round++) {
				long start = System.nanoTime();
				for (int i = 0; i < events; i++) {
					check += codec.decode(topic, json).schemaVersion();
				}
				decode = Math.min(decode, (System.nanoTime() - start) / 1000.0 / events);
				start = System.nanoTime();
				for (int i = 0; i < events; i++) {
					check += codec.encode(event).length;
				}
				encode = Math.min(encode, (System.nanoTime() - start) / 1000.0 / events);
				start = System.nanoTime();
				for (int i = 0; i < events; i++) {
					check += PayloadBinder.bind(data, type).hashCode();
				}
				direct = Math.min(direct, (System.nanoTime() - start) / 1000.0 / events);
				start = System.nanoTime();
				for (int i = 0; i < events; i++) {
					check += codec.bindWithJackson(data, type).hashCode();
				}
				jackson = Math.min(jackson, (System.nanoTime() - start) / 1000.0 / events);
			}
			System.out.printf(
					"%-18s decode %.2f µs, encode %.2f µs; payload bound directly %.2f µs, by Jackson %.2f µs (best of %d rounds of %,d; %d)%n",
					event.type().token(), decode, encode, direct, jackson, ROUNDS, events, check % 10);
		}
	}

}
