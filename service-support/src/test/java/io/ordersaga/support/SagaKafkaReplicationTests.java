package io.ordersaga.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.ordersaga.events.Replication;
import io.ordersaga.events.TopicCatalogue;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The services replicate their topics, Kafka Streams' internal ones included, as the
 * cluster's defaults say, unless {@code REPLICATION_FACTOR} or
 * {@code MIN_INSYNC_REPLICAS} override them (saga-defaults.yml maps both to
 * {@code ordersaga.kafka.*}, empty when unset).
 */
class SagaKafkaReplicationTests {

	@Test
	void leavesReplicationToTheClusterWhenNothingOverridesIt() {
		SagaKafkaProperties properties = bind(
				Map.of("ordersaga.kafka.replication-factor", "", "ordersaga.kafka.min-insync-replicas", ""));

		assertThat(properties.replication()).isEqualTo(Replication.CLUSTER_DEFAULTS);
		assertThat(topics(properties)).allSatisfy((topic) -> {
			assertThat(topic.replicationFactor()).isEqualTo((short) -1);
			assertThat(topic.configs()).doesNotContainKey("min.insync.replicas");
		});
		assertThat(streamsConfig(properties)).containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1)
			.doesNotContainKey(StreamsConfig.topicPrefix("min.insync.replicas"));
	}

	@Test
	void givesEveryTopicItCreatesTheReplicationItIsToldToUse() {
		SagaKafkaProperties properties = bind(
				Map.of("ordersaga.kafka.replication-factor", "3", "ordersaga.kafka.min-insync-replicas", "2"));

		assertThat(topics(properties)).allSatisfy((topic) -> {
			assertThat(topic.replicationFactor()).isEqualTo((short) 3);
			assertThat(topic.configs()).containsEntry("min.insync.replicas", "2");
		});
		assertThat(streamsConfig(properties)).containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG, 3)
			.containsEntry(StreamsConfig.topicPrefix("min.insync.replicas"), "2");
	}

	private static SagaKafkaProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("ordersaga.kafka",
				SagaKafkaProperties.class);
	}

	/** The catalogue's topics as the service creates them. */
	private static List<NewTopic> topics(SagaKafkaProperties properties) {
		return TopicCatalogue.entries().stream().map((topic) -> topic.newTopic(properties.replication())).toList();
	}

	/** The configuration Kafka Streams starts with, as saga-defaults.yml sets it. */
	private static Properties streamsConfig(SagaKafkaProperties properties) {
		Map<String, Object> defaults = new HashMap<>(Map.of(StreamsConfig.APPLICATION_ID_CONFIG, "replication-test",
				StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092", StreamsConfig.REPLICATION_FACTOR_CONFIG, -1));
		StreamsBuilderFactoryBean factory = new StreamsBuilderFactoryBean(new KafkaStreamsConfiguration(defaults));
		new SagaKafkaAutoConfiguration.KafkaStreamsHealthConfiguration().sagaStreamsReplication(properties)
			.configure(factory);
		return factory.getStreamsConfiguration();
	}

}
