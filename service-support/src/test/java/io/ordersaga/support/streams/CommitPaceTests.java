package io.ordersaga.support.streams;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a stream thread commits sooner than Kafka Streams' interval.
 */
class CommitPaceTests {

	private double machineLoad = 0.5;

	private final AtomicInteger loadReadings = new AtomicInteger();

	private final CommitPace.CpuLoad cpu = new CommitPace.CpuLoad(Duration.ofMillis(500), () -> {
		this.loadReadings.incrementAndGet();
		return this.machineLoad;
	});

	private final CommitPace pace = new CommitPace(new CommitPace.Settings(Duration.ofMillis(25), 0.9), this.cpu);

	@Test
	void theConfiguredIntervalBecomesTheQuietOneAndTheBusyIntervalKafkaStreamsOwn() {
		Properties config = new Properties();
		config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "25");

		CommitPace.configure(config, Duration.ofMillis(100), 0.9);

		assertThat(config).containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100")
			.containsEntry(CommitPace.QUIET_INTERVAL_CONFIG, "25")
			.containsEntry(CommitPace.BUSY_CPU_LOAD_CONFIG, "0.9");
		assertThat(CommitPace
			.settings(Map.of(CommitPace.QUIET_INTERVAL_CONFIG, "25", CommitPace.BUSY_CPU_LOAD_CONFIG, "0.9")))
			.isEqualTo(new CommitPace.Settings(Duration.ofMillis(25), 0.9));
	}

	/**
	 * A cluster's services commit every 100 ms (COMMIT_INTERVAL_MS) whatever the load.
	 */
	@Test
	void aBusyIntervalNoLongerThanTheConfiguredOneChangesNothing() {
		Properties config = new Properties();
		config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);

		CommitPace.configure(config, Duration.ofMillis(100), 0.9);

		assertThat(config).containsOnlyKeys(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
		assertThat(CommitPace.settings(Map.of())).isNull();
	}

	@Test
	void withoutAConfiguredIntervalKafkaStreamsExactlyOnceDefaultIsTheQuietOne() {
		Properties config = new Properties();
		config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);

		CommitPace.configure(config, Duration.ofMillis(500), 0.9);

		assertThat(config).containsEntry(CommitPace.QUIET_INTERVAL_CONFIG, "100")
			.containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "500");
	}

	@Test
	void withCpuToSpareAThreadCommitsAtMostOncePerIntervalAndOnlyAfterProcessingSomething() {
		assertThat(this.pace.commitEarly(0)).as("nothing processed yet").isFalse();
		this.pace.processed();
		assertThat(this.pace.commitEarly(10)).as("another task's punctuation, same interval").isFalse();

		assertThat(this.pace.commitEarly(25)).isTrue();
		this.pace.processed();
		assertThat(this.pace.commitEarly(35)).as("another task's punctuation, same interval").isFalse();
		assertThat(this.pace.commitEarly(50)).isTrue();
		assertThat(this.pace.commitEarly(75)).as("nothing processed since").isFalse();
	}

	@Test
	void shortOfCpuAThreadLeavesItsCommitsToKafkaStreamsIntervalUntilTheMachineHasSomeToSpareAgain() {
		this.machineLoad = 0.95;
		this.pace.processed();

		assertThat(this.pace.commitEarly(0)).isFalse();
		assertThat(this.pace.commitEarly(25)).isFalse();
		this.machineLoad = 0.5;
		assertThat(this.pace.commitEarly(50)).as("the last reading holds for 500 ms").isFalse();
		assertThat(this.pace.commitEarly(500)).isTrue();
	}

	@Test
	void theMachineLoadIsReadOncePerPeriodForAllThreads() {
		CommitPace other = new CommitPace(new CommitPace.Settings(Duration.ofMillis(25), 0.9), this.cpu);
		for (long now = 0; now < 1000; now += 25) {
			this.pace.processed();
			other.processed();
			assertThat(this.pace.commitEarly(now)).isTrue();
			assertThat(other.commitEarly(now + 1)).isTrue();
		}

		assertThat(this.loadReadings).hasValue(2);
	}

	@Test
	void aSystemThatDoesNotTellItsLoadCountsAsHavingCpuToSpare() {
		CommitPace.CpuLoad unknown = new CommitPace.CpuLoad(Duration.ofMillis(500), () -> -1);

		assertThat(unknown.recent(0)).isZero();
		assertThat(CommitPace.CpuLoad.operatingSystem()).isBetween(0.0, 1.0);
	}

}
