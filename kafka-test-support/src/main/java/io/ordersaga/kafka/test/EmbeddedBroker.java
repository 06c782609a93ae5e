package io.ordersaga.kafka.test;

import java.util.Map;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * An in-process KRaft node (broker and controller in one) from Kafka's own test kit, of
 * the build's Kafka version, set up like the single-node broker of the one-command run:
 * replication factor 1 for the internal topics, so consumer groups and transactions work,
 * and no automatic topic creation.
 *
 * <p>
 * spring-kafka-test's embedded broker is not used: the one of spring-kafka 4.1 calls
 * methods of Kafka 4.2's broker that Kafka 4.3 no longer has.
 */
final class EmbeddedBroker implements TestKafkaBroker.RunningBroker {

	static final Map<String, String> BROKER_PROPERTIES = Map.of(
			// Without these, initTransactions() times out waiting for InitProducerId.
			"transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1",
			"offsets.topic.replication.factor", "1", "auto.create.topics.enable", "false",
			// Tests start many short-lived groups; waiting 3 s for more members only
			// slows them.
			"group.initial.rebalance.delay.ms", "0");

	private final KafkaClusterTestKit cluster;

	EmbeddedBroker() {
		refuseToHaltTheJvm();
		try {
			KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(
					new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build());
			BROKER_PROPERTIES.forEach(builder::setConfigProp);
			this.cluster = builder.build();
			this.cluster.format();
			this.cluster.startup();
			this.cluster.waitForReadyBrokers();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while the embedded broker started", ex);
		}
		catch (Exception ex) {
			throw new IllegalStateException("The embedded Kafka broker did not start", ex);
		}
	}

	/**
	 * Kafka's broker halts its process with status 1 when its only log directory fails
	 * (LogManager, ReplicaManager). Test JVMs ended with status 1 after every test had
	 * passed, now and then under the load of a full build, and the build failed with
	 * "Error occurred in starting fork"; this halt, met while the broker was shut down at
	 * the JVM's exit, is the broker's one way to do that. The broker shares its process
	 * with the tests, so the failure is said on standard error and thrown on the broker's
	 * thread instead of ending the JVM; a test that still needs the broker fails on its
	 * own.
	 */
	private static void refuseToHaltTheJvm() {
		Exit.setHaltProcedure((status, message) -> {
			String refused = "The embedded Kafka broker asked to halt the JVM with status " + status
					+ ((message != null) ? ": " + message : "") + "; refused, since tests share the JVM";
			System.err.println(refused);
			throw new IllegalStateException(refused);
		});
	}

	@Override
	public String bootstrapServers() {
		return this.cluster.bootstrapServers();
	}

	@Override
	public void close() {
		try {
			this.cluster.close();
		}
		catch (Exception ex) {
			throw new IllegalStateException("The embedded Kafka broker did not stop cleanly", ex);
		}
	}

}
