package io.ordersaga.events.kafka;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TimestampsTests {

	/** Years 0 to 9999 and a little beyond, at every precision the JDK writes. */
	static Stream<Instant> instants() {
		SplittableRandom random = new SplittableRandom(20261201);
		long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond() - 86_400L * 400;
		long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond() + 86_400L * 400;
		return Stream.concat(
				Stream.of(Instant.EPOCH, Instant.parse("1969-12-31T23:59:59.999999999Z"),
						Instant.parse("2024-02-29T23:59:59.5Z"), Instant.parse("0000-01-01T00:00:00Z"),
						Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.parse("2026-12-01T10:15:30.000001Z"),
						Instant.now(), Instant.now().truncatedTo(ChronoUnit.MICROS)),
				Stream.generate(() -> Instant.ofEpochSecond(random.nextLong(min, max), nanos(random))).limit(5000));
	}

	private static int nanos(SplittableRandom random) {
		return switch (random.nextInt(4)) {
			case 0 -> 0;
			case 1 -> random.nextInt(1000) * 1_000_000;
			case 2 -> random.nextInt(1_000_000) * 1_000;
			default -> random.nextInt(1_000_000_000);
		};
	}

	@Test
	void writesWhatTheJdkWrites() {
		instants().forEach((instant) -> assertThat(Timestamps.format(instant)).isEqualTo(instant.toString()));
	}

	@Test
	void readsWhatTheJdkWritesAsTheJdkReadsIt() {
		instants().forEach((instant) -> assertThat(Timestamps.parse(instant.toString())).isEqualTo(instant));
	}

	@ParameterizedTest
	@ValueSource(strings = { "2026-12-01T10:15:30Z", "2026-12-01T10:15:30.1Z", "2026-12-01T10:15:30.12Z",
			"2026-12-01T10:15:30.1234Z", "2026-12-01T10:15:30.12345Z", "2026-12-01T10:15:30.1234567Z",
			"2026-12-01T10:15:30.12345678Z", "2026-12-01T10:15:30.123456789Z", "2026-12-01T10:15:30.000000000Z",
			"2024-02-29T00:00:00Z", "2000-02-29T12:00:00Z" })
	void readsEveryFractionWidthOnTheFastPath(String text) {
		assertThat(Timestamps.parseIfCanonical(text)).isNotNull().isEqualTo(Instant.parse(text));
	}

	@ParameterizedTest
	@ValueSource(strings = { "2026-12-01T11:15:30+01:00", "2026-12-01T10:15:30.5+00:00", "2016-12-31T23:59:60Z",
			"2026-12-01T24:00:00Z", "+12026-12-01T10:15:30Z", "2026-12-01t10:15:30z", "2026-12-01T10:15:30.Z" })
	void leavesOtherFormsToTheJdk(String text) {
		assertThat(Timestamps.parseIfCanonical(text)).isNull();
		assertThat(Timestamps.parse(text)).isEqualTo(Instant.parse(text));
	}

	static Stream<String> notInstants() {
		return Stream.of("", "2026-12-01", "2026-12-01T10:15:30", "2026-12-01 10:15:30Z", "2026-13-01T10:15:30Z",
				"2026-00-01T10:15:30Z", "2026-02-29T10:15:30Z", "2026-04-31T10:15:30Z", "2026-12-00T10:15:30Z",
				"2026-12-01T25:15:30Z", "2026-12-01T10:60:30Z", "2026-12-01T10:15:61Z",
				"2026-12-01T10:15:30.1234567890Z", "2026-12-01T10:15:30,5Z", "2026-1a-01T10:15:30Z",
				"2026-12-01T10:15:3-Z", "２026-12-01T10:15:30Z", "2026-12-01T10:15:30.-5Z");
	}

	@ParameterizedTest
	@MethodSource("notInstants")
	void refusesWhatTheJdkRefuses(String text) {
		assertThatExceptionOfType(DateTimeException.class).isThrownBy(() -> Instant.parse(text));
		assertThatExceptionOfType(DateTimeException.class).isThrownBy(() -> Timestamps.parse(text));
	}

}
