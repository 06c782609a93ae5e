package io.ordersaga.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import io.ordersaga.kafka.test.TestKafkaBroker;
import io.ordersaga.support.streams.ReplaceThreadAfterBackOff;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The health of a Kafka Streams application on a real broker whose stream thread fails
 * again and again on a record, and then gets past it.
 */
class KafkaStreamsHealthIndicatorTests {

	@TempDir
	Path stateDir;

	@Test
	void isDownWhileAStreamThreadFailsAgainAndAgainAndUpOnceItRuns() {
		String in = TestKafkaBroker.uniqueName("failing-in");
		TestKafkaBroker.createTopics(1, in);
		AtomicInteger failuresToGo = new AtomicInteger(3);
		StreamsBuilder builder = new StreamsBuilder();
		builder.stream(in, Consumed.with(Serdes.String(), Serdes.String())).foreach((key, value) -> {
			if (failuresToGo.getAndDecrement() > 0) {
				throw new IllegalStateException("cannot process " + value + " now");
			}
		});
		Properties config = new Properties();
		config.put(StreamsConfig.APPLICATION_ID_CONFIG, TestKafkaBroker.uniqueName("failing"));
		config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafkaBroker.bootstrapServers());
		config.put(StreamsConfig.STATE_DIR_CONFIG, this.stateDir.toString());
		config.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 6000);
		config.put(StreamsConfig.consumerPrefix("heartbeat.interval.ms"), 1000);
		ReplaceThreadAfterBackOff replacements = new ReplaceThreadAfterBackOff(Duration.ofMillis(100),
				Duration.ofSeconds(5));
		try (KafkaStreams streams = new KafkaStreams(builder.build(), config)) {
			streams.setUncaughtExceptionHandler(replacements);
			KafkaStreamsHealthIndicator health = new KafkaStreamsHealthIndicator(() -> streams, replacements);
			streams.start();
			await().dontCatchUncaughtExceptions()
				.atMost(Duration.ofSeconds(60))
				.until(() -> Status.UP.equals(status(health)));

			TestKafkaBroker.send(in, "key", "poison".getBytes());

			await().dontCatchUncaughtExceptions()
				.atMost(Duration.ofSeconds(60))
				.until(() -> Status.DOWN.equals(status(health)));
			assertThat(health.health().getDetails()).containsEntry("state", "RUNNING");
			await().dontCatchUncaughtExceptions()
				.atMost(Duration.ofSeconds(90))
				.until(() -> failuresToGo.get() < 0 && Status.UP.equals(status(health)));
		}
	}

	@Test
	void isDownUntilItFirstRunsSinceItsStoresAnswerReadsOnlyThen() {
		String in = TestKafkaBroker.uniqueName("starting-in");
		TestKafkaBroker.createTopics(1, in);
		StreamsBuilder builder = new StreamsBuilder();
		builder.stream(in, Consumed.with(Serdes.String(), Serdes.String())).foreach((key, value) -> {
		});
		Properties config = new Properties();
		config.put(StreamsConfig.APPLICATION_ID_CONFIG, TestKafkaBroker.uniqueName("starting"));
		config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafkaBroker.bootstrapServers());
		config.put(StreamsConfig.STATE_DIR_CONFIG, this.stateDir.toString());
		ReplaceThreadAfterBackOff replacements = new ReplaceThreadAfterBackOff(Duration.ofMillis(100),
				Duration.ofSeconds(5));
		try (KafkaStreams streams = new KafkaStreams(builder.build(), config)) {
			KafkaStreamsHealthIndicator health = new KafkaStreamsHealthIndicator(() -> streams, replacements);
			assertThat(status(health)).isEqualTo(Status.DOWN);
			assertThat(health.health().getDetails()).containsEntry("state", "CREATED");

			streams.start();

			await().atMost(Duration.ofSeconds(60)).until(() -> Status.UP.equals(status(health)));
			assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
		}
	}

	private static Status status(KafkaStreamsHealthIndicator health) {
		return health.health().getStatus();
	}

}
