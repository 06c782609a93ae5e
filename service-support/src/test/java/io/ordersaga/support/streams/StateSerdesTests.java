package io.ordersaga.support.streams;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.kafka.support.serializer.JacksonJsonSerde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;

class StateSerdesTests {

	private final Serde<Sample> serde = StateSerdes.json(Sample.class);

	/** What the stores were written with before: Spring Kafka's serde as it comes. */
	private final Serde<Sample> plain = new JacksonJsonSerde<>(Sample.class).noTypeInfo();

	@Test
	void writesTheSameJsonAsJacksonsDefault() {
		Sample sample = new Sample(
				"alice", Instant.parse("2026-12-01T10:15:30.123456Z"), List.of(Instant.EPOCH,
						Instant.parse("1999-12-31T23:59:59.5Z"), Instant.parse("2026-01-01T00:00:00.000000001Z")),
				new BigDecimal("12.50"));

		byte[] json = this.serde.serializer().serialize("t", sample);

		assertThat(new String(json, StandardCharsets.UTF_8))
			.isEqualTo(new String(this.plain.serializer().serialize("t", sample), StandardCharsets.UTF_8))
			.contains("\"2026-12-01T10:15:30.123456Z\"");
		assertThat(this.serde.deserializer().deserialize("t", json)).isEqualTo(sample);
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"2026-12-01T10:15:30Z\"", "\"2026-12-01T10:15:30.5Z\"", "\"2026-12-01T11:15:30+01:00\"",
			"\"2016-12-31T23:59:60Z\"", "1764584130", "1764584130.5" })
	void readsWhatJacksonsDefaultReads(String time) {
		byte[] json = ("{\"name\":\"alice\",\"time\":" + time + ",\"times\":[],\"amount\":\"1.00\"}")
			.getBytes(StandardCharsets.UTF_8);

		assertThat(this.serde.deserializer().deserialize("t", json))
			.isEqualTo(this.plain.deserializer().deserialize("t", json));
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"2026-02-30T10:15:30Z\"", "\"yesterday\"", "true" })
	void refusesWhatJacksonsDefaultRefuses(String time) {
		byte[] json = ("{\"name\":\"alice\",\"time\":" + time + ",\"times\":[],\"amount\":\"1.00\"}")
			.getBytes(StandardCharsets.UTF_8);

		assertThatRuntimeException().isThrownBy(() -> this.plain.deserializer().deserialize("t", json));
		assertThatRuntimeException().isThrownBy(() -> this.serde.deserializer().deserialize("t", json));
	}

	record Sample(String name, Instant time, List<Instant> times, BigDecimal amount) {
	}

}
