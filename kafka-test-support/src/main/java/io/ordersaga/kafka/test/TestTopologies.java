package io.ordersaga.kafka.test;

import java.nio.file.Path;
import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Kafka Streams' test driver for a service's topology, set up as the service runs it: its
 * application id (named in dead letters), a state directory of the test's own, and the
 * service's settings, such as its exception handlers.
 */
public final class TestTopologies {

	private TestTopologies() {
	}

	/**
	 * Starts the driver.
	 * @param topology the topology
	 * @param applicationId the service's application id
	 * @param stateDir a directory of the test's own
	 * @param settings further settings, for example those that
	 * {@code StreamsErrorHandler} adds
	 * @return the driver; close it after the test
	 */
	public static TopologyTestDriver driver(Topology topology, String applicationId, Path stateDir,
			Properties settings) {
		Properties config = new Properties();
		config.putAll(settings);
		config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
		// The driver reaches no broker.
		config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
		config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
		return new TopologyTestDriver(topology, config);
	}

}
