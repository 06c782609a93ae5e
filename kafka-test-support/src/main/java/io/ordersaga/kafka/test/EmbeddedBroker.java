package io.ordersaga.kafka.test;

import java.util.Map;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * spring-kafka-test's in-process KRaft broker (broker and controller in one), set up like
 * the single-node broker of the one-command run: replication factor 1 for the internal
 * topics, so consumer groups and transactions work, and no automatic topic creation.
 */
final class EmbeddedBroker implements TestKafkaBroker.RunningBroker {

	static final Map<String, String> BROKER_PROPERTIES = Map.of(
			// Without these, initTransactions() times out waiting for InitProducerId.
			"transaction.state.log.replication.factor", "1", "transaction.state.log.min.isr", "1",
			"offsets.topic.replication.factor", "1", "auto.create.topics.enable", "false",
			// Tests start many short-lived groups; waiting 3 s for more members only
			// slows them.
			"group.initial.rebalance.delay.ms", "0");

	private final EmbeddedKafkaKraftBroker broker;

	EmbeddedBroker() {
		this.broker = new EmbeddedKafkaKraftBroker(1, 3);
		this.broker.brokerProperties(BROKER_PROPERTIES);
		this.broker.afterPropertiesSet();
	}

	@Override
	public String bootstrapServers() {
		return this.broker.getBrokersAsString();
	}

	@Override
	public void close() {
		this.broker.destroy();
	}

}
