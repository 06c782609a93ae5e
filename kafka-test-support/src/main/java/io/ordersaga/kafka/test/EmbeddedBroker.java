package io.ordersaga.kafka.test;

import java.util.Map;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;

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
		refuseToEndTheJvm();
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
	 * Kafka's broker ends its own process on a fatal error: {@code Exit.halt(1)} when its
	 * only log directory fails (LogManager, ReplicaManager), {@code Exit.exit} when one
	 * of its threads meets a fatal error (ShutdownableThread). Test JVMs ended with
	 * status 1 after every test had passed, now and then under the load of a full build,
	 * and the build failed with "Error occurred in starting fork"; nothing else in a test
	 * JVM ends it with 1, and the broker's shutdown at the JVM's exit can meet the first.
	 * The broker shares its process with the tests, so either is said on standard error
	 * and thrown on the broker's thread instead of ending the JVM; a test that still
	 * needs the broker fails on its own. Kafka's tools that the benchmark runs are
	 * processes of their own and keep their exit codes.
	 */
	private static void refuseToEndTheJvm() {
		Exit.Procedure refuse = (status, message) -> {
			String refused = "The embedded Kafka broker asked to end the JVM with status " + status
					+ ((message != null) ? ": " + message : "") + "; refused, since tests share the JVM";
			System.err.println(refused);
			throw new IllegalStateException(refused);
		};
		Exit.setHaltProcedure(refuse);
		Exit.setExitProcedure(refuse);
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
