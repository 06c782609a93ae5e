package io.ordersaga.events.kafka;

import io.ordersaga.kafka.test.TestKafkaBroker;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The round trip on the {@code apache/kafka} image, where a Docker engine exists; skipped
 * elsewhere.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerBrokerRoundTripTests extends EventRoundTripContract {

	@Container
	static final KafkaContainer kafka = new KafkaContainer(TestKafkaBroker.KAFKA_IMAGE);

	@Override
	String bootstrapServers() {
		return kafka.getBootstrapServers();
	}

}
