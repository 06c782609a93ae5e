package io.ordersaga.support;

import org.apache.kafka.streams.KafkaStreams;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * Reports the service's Kafka Streams application: up while it runs or rebalances, down
 * when it has stopped or failed, so an orchestrator restarts an instance that no longer
 * processes.
 */
public class KafkaStreamsHealthIndicator extends AbstractHealthIndicator {

	private final StreamsBuilderFactoryBean streams;

	public KafkaStreamsHealthIndicator(StreamsBuilderFactoryBean streams) {
		super("Kafka Streams health check failed");
		this.streams = streams;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		KafkaStreams kafkaStreams = this.streams.getKafkaStreams();
		if (kafkaStreams == null) {
			builder.down().withDetail("state", "NOT_STARTED");
			return;
		}
		KafkaStreams.State state = kafkaStreams.state();
		builder.status((state.isRunningOrRebalancing() || state == KafkaStreams.State.CREATED) ? "UP" : "DOWN")
			.withDetail("state", state.name());
	}

}
