package io.ordersaga.support.streams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.ordersaga.kafka.test.TestKafkaBroker;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.kafka.config.KafkaStreamsConfiguration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LocalStateGuardTests {

	@TempDir
	Path stateDirectory;

	@Test
	void startsKafkaStreamsRecordingTheClusterAndStopsItWhenStopped() throws Exception {
		String applicationId = TestKafkaBroker.uniqueName("guarded");
		String topic = TestKafkaBroker.uniqueName("guarded-input");
		TestKafkaBroker.createTopics(1, topic);
		StreamsBuilderFactoryBean factory = new StreamsBuilderFactoryBean(new KafkaStreamsConfiguration(Map.of(
				StreamsConfig.APPLICATION_ID_CONFIG, applicationId, StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
				TestKafkaBroker.bootstrapServers(), StreamsConfig.STATE_DIR_CONFIG, this.stateDirectory.toString())));
		factory.afterPropertiesSet();
		factory.getObject().stream(topic, Consumed.with(Serdes.String(), Serdes.String())).foreach((key, value) -> {
		});
		factory.afterSingletonsInstantiated();
		LocalStateGuard guard = new LocalStateGuard(factory,
				Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafkaBroker.bootstrapServers()),
				Duration.ofSeconds(5), this.stateDirectory, applicationId);

		guard.start();
		await().until(() -> factory.getKafkaStreams() != null
				&& factory.getKafkaStreams().state() == KafkaStreams.State.RUNNING);
		assertThat(Files.readString(this.stateDirectory.resolve(applicationId + ".cluster-id"))).isNotBlank();

		// The context stops the guard and the factory in either order; stopped first, the
		// guard must not leave Kafka Streams running behind it.
		guard.stop();

		assertThat(guard.isRunning()).isFalse();
		assertThat(factory.isRunning()).isFalse();
	}

}
