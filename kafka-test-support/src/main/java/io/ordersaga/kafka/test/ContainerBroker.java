package io.ordersaga.kafka.test;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The {@code apache/kafka} image in a container, for machines with a Docker engine.
 */
final class ContainerBroker implements TestKafkaBroker.RunningBroker {

	private final KafkaContainer container;

	ContainerBroker() {
		if (!DockerClientFactory.instance().isDockerAvailable()) {
			throw new IllegalStateException(TestKafkaBroker.MODE_PROPERTY
					+ "=container needs a running Docker engine; none was found. Run without it to use the in-process broker.");
		}
		this.container = new KafkaContainer(TestKafkaBroker.KAFKA_IMAGE)
			.withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
			.withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
		this.container.start();
	}

	@Override
	public String bootstrapServers() {
		return this.container.getBootstrapServers();
	}

	@Override
	public void close() {
		this.container.stop();
	}

}
