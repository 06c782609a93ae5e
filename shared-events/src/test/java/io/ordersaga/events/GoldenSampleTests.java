package io.ordersaga.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
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

	private static final String SAMPLES = "contract/samples";

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
		Map<String, String> locked = lockedDigests();
		Map<String, String> actual = new LinkedHashMap<>();
		samples().forEach((sample) -> actual.put(sample, sha256(ContractFiles.read(SAMPLES + "/" + sample))));
		assertThat(actual)
			.as("Released samples are immutable: add a sample for a new schema version instead of editing one, "
					+ "and record each new sample in contract/released-samples.sha256")
			.containsExactlyInAnyOrderEntriesOf(locked);
	}

	@Test
	void aConsumerOfThisVersionReadsANewerVersionWithFieldsItDoesNotKnow() {
		EventEnvelope<?> read = this.codec.decode("orders", ContractFiles.read("contract/future/OrderPlaced/v2.json"));

		assertThat(read.schemaVersion()).isEqualTo(2);
		assertThat(read.type()).isEqualTo(EventType.ORDER_PLACED);
		assertThat(read.data()).isEqualTo(GoldenSamples.ORDER_PLACED);
		assertThat(read.orderId()).isEqualTo(GoldenSamples.ORDER_ID);
	}

	private static Map<String, String> lockedDigests() {
		Map<String, String> locked = new LinkedHashMap<>();
		String lockFile = new String(ContractFiles.read("contract/released-samples.sha256"), StandardCharsets.UTF_8);
		lockFile.lines().filter((line) -> !line.isBlank()).forEach((line) -> {
			String[] parts = line.trim().split("\\s+", 2);
			locked.put(parts[1], parts[0]);
		});
		return locked;
	}

	private static String sha256(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
