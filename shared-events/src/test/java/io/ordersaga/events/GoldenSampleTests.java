package io.ordersaga.events;

import java.util.stream.Stream;

import io.ordersaga.events.kafka.EventCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The golden samples are the contract's memory: every sample ever released must still
 * deserialize to the event it was written from, and the current records must still write
 * exactly the current samples.
 */
class GoldenSampleTests {

	private static final String SAMPLES = ContractFiles.SAMPLES;

	private final EventCodec codec = EventCodec.instance();

	private final JsonMapper json = JsonMapper.builder().build();

	static Stream<String> samples() {
		return ContractFiles.jsonFiles(SAMPLES).stream();
	}

	@ParameterizedTest
	@MethodSource("samples")
	void everyReleasedSampleDeserializesToTheEventItWasWrittenFrom(String sample) {
		assertThat(GoldenSamples.SAMPLES).as("the expected event of %s in GoldenSamples", sample).containsKey(sample);
		EventEnvelope<?> read = this.codec.decode(null, ContractFiles.read(SAMPLES + "/" + sample));
		assertThat(read).isEqualTo(GoldenSamples.SAMPLES.get(sample));
	}

	@ParameterizedTest
	@EnumSource(EventType.class)
	void everyEventTypeWritesExactlyTheSampleOfItsCurrentVersion(EventType type) {
		String sample = GoldenSamples.currentSamplePath(type);
		assertThat(samples()).as("a golden sample for %s v%d", type.token(), type.schemaVersion()).contains(sample);
		JsonNode written = this.codec.toTree(GoldenSamples.SAMPLES.get(sample));
		JsonNode expected = this.json.readTree(ContractFiles.read(SAMPLES + "/" + sample));
		assertThat(written).isEqualTo(expected);
	}

	@Test
	void releasedSamplesAreNeverEdited() {
		ContractFiles.assertMatchesLock("samples", ContractFiles.directory(SAMPLES), ContractFiles.jsonFiles(SAMPLES),
				ContractFiles.RELEASED_SAMPLES, "add a sample for a new schema version instead of editing one");
	}

	@Test
	void aConsumerOfThisVersionReadsANewerVersionWithFieldsItDoesNotKnow() {
		EventEnvelope<?> read = this.codec.decode("orders", ContractFiles.read("contract/future/OrderPlaced/v3.json"));

		assertThat(read.schemaVersion()).isEqualTo(3);
		assertThat(read.type()).isEqualTo(EventType.ORDER_PLACED);
		assertThat(read.data()).isEqualTo(GoldenSamples.ORDER_PLACED);
		assertThat(read.orderId()).isEqualTo(GoldenSamples.ORDER_ID);
	}

}
