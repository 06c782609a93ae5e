package io.ordersaga.support;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import io.ordersaga.support.streams.CommitPace;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service commits at {@code commit.interval.ms} whatever the machine's load, unless
 * {@code ordersaga.kafka.busy-commit-interval} is longer ({@link CommitPace}).
 */
class SagaKafkaCommitPaceTests {

	@Test
	void commitsAtTheConfiguredIntervalUnlessToldOtherwise() {
		assertThat(streamsConfig(Map.of())).containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "25")
			.doesNotContainKey(CommitPace.QUIET_INTERVAL_CONFIG);
	}

	@Test
	void withABusyIntervalCommitsAtItOnlyWhenTheMachineIsShortOfCpu() {
		assertThat(streamsConfig(
				Map.of("ordersaga.kafka.busy-commit-interval", "100ms", "ordersaga.kafka.busy-cpu-load", "0.95")))
			.containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100")
			.containsEntry(CommitPace.QUIET_INTERVAL_CONFIG, "25")
			.containsEntry(CommitPace.BUSY_CPU_LOAD_CONFIG, "0.95");
	}

	/** The configuration Kafka Streams starts with, committing every 25 ms. */
	private static Properties streamsConfig(Map<String, String> settings) {
		SagaKafkaProperties properties = new Binder(new MapConfigurationPropertySource(settings))
			.bindOrCreate("ordersaga.kafka", SagaKafkaProperties.class);
		Map<String, Object> defaults = new HashMap<>(
				Map.of(StreamsConfig.APPLICATION_ID_CONFIG, "commit-pace-test", StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
						"localhost:9092", StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "25"));
		StreamsBuilderFactoryBean factory = new StreamsBuilderFactoryBean(new KafkaStreamsConfiguration(defaults));
		new SagaKafkaAutoConfiguration.KafkaStreamsHealthConfiguration().sagaStreamsCommitPace(properties)
			.configure(factory);
		return factory.getStreamsConfiguration();
	}

}
