package io.ordersaga.events.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class CanonicalUuidsTests {

	/** The UUIDs whose halves are at the edges of a long, and two of each version. */
	static Stream<UUID> edges() {
		return Stream.of(new UUID(0, 0), new UUID(-1, -1), new UUID(Long.MIN_VALUE, Long.MAX_VALUE),
				new UUID(Long.MAX_VALUE, Long.MIN_VALUE), UUID.randomUUID(),
				UUID.nameUUIDFromBytes("ordersaga".getBytes(StandardCharsets.UTF_8)));
	}

	@ParameterizedTest
	@MethodSource("edges")
	void readsWhatTheJdkWritesAsTheJdkReadsIt(UUID uuid) {
		assertReadAsTheJdkReadsIt(uuid);
	}

	@Test
	void readsRandomUuidsAsTheJdkReadsThem() {
		SplittableRandom random = new SplittableRandom(20261203);
		for (int i = 0; i < 5000; i++) {
			assertReadAsTheJdkReadsIt(new UUID(random.nextLong(), random.nextLong()));
		}
	}

	private static void assertReadAsTheJdkReadsIt(UUID uuid) {
		String text = uuid.toString();
		assertThat(CanonicalUuids.parse(text)).as(text).isEqualTo(uuid).isEqualTo(UUID.fromString(text));
		assertThat(CanonicalUuids.parse(text.toUpperCase(Locale.ROOT))).as(text).isEqualTo(uuid);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "42", "not-a-uuid", "1-2-3-4-5", "AAAAAAAAAAAAAAAAAAAAAA==",
			// one character short, and one too many
			"77c7b3ce-3da0-3203-b0c2-0e229e9647a", "77c7b3ce-3da0-3203-b0c2-0e229e9647aa0",
			// a hyphen moved, missing, or in place of a digit
			"77c7b3c-e3da0-3203-b0c2-0e229e9647aa", "77c7b3ce3da0-3203-b0c2-0e229e9647aa0",
			"77c7b3ce-3da0-3203-b0c2-0e229e9647-a",
			// signs, which UUID.fromString reads within a group
			"+7c7b3ce-3da0-3203-b0c2-0e229e9647aa", "77c7b3ce--da0-3203-b0c2-0e229e9647aa",
			"77c7b3ce-3da0-3203-b0c2-+e229e9647aa",
			// letters past f, spaces, and digits of other scripts
			"77c7b3ce-3da0-3203-b0c2-0e229e9647ag", "77c7b3ce-3da0-3203-b0c2-0e229e9647 a",
			"77c7b3ce-3da0-3203-b0c2-0e229e9647a\u0661", "\uff17\uff17c7b3ce-3da0-3203-b0c2-0e229e9647aa" })
	void refusesEveryOtherForm(String text) {
		assertThat(CanonicalUuids.parse(text)).isNull();
	}

	@Test
	void refusesAFormUuidFromStringReads() {
		String signed = "+7c7b3ce-3da0-3203-b0c2-0e229e9647aa";

		assertThat(UUID.fromString(signed)).isNotNull();
		assertThat(CanonicalUuids.parse(signed)).isNull();
	}

}
