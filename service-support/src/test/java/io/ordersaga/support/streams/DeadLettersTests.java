package io.ordersaga.support.streams;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLettersTests {

	@Test
	void keepsARecordThatFitsWholeWithItsHeaders() {
		Headers headers = new RecordHeaders().add("traceparent", bytes("00-abc"));
		byte[] value = bytes("not an event");

		DeadLetters.DeadLetter letter = DeadLetters.of("key", value, headers, new IllegalArgumentException("bad"),
				"orders", 2, 42, "order-service");

		assertThat(letter.key()).isEqualTo("key");
		assertThat(letter.value()).isEqualTo(value);
		assertThat(text(letter.headers(), "traceparent")).isEqualTo("00-abc");
		assertThat(text(letter.headers(), "kafka_dlt-exception-message")).isEqualTo("bad");
		assertThat(text(letter.headers(), "kafka_dlt-original-topic")).isEqualTo("orders");
		assertThat(letter.headers().lastHeader(DeadLetters.TRUNCATED)).isNull();
		assertThat(headers.toArray()).hasSize(1);
	}

	@Test
	void cutsAnErrorMessageAndStackTraceThatRepeatTheRecord() {
		String huge = "x".repeat(400_000);

		DeadLetters.DeadLetter letter = DeadLetters.of("key", bytes("{}"), new RecordHeaders(),
				new IllegalArgumentException("unknown event type '" + huge + "'"), "orders", 0, 0, "order-service");

		assertThat(text(letter.headers(), "kafka_dlt-exception-message"))
			.hasSize(DeadLetters.MAX_MESSAGE_CHARACTERS + "… (400021 characters)".length())
			.endsWith("… (400021 characters)");
		assertThat(text(letter.headers(), "kafka_dlt-exception-stacktrace").length())
			.isLessThan(DeadLetters.MAX_STACK_TRACE_CHARACTERS + 30);
	}

	@Test
	void makesABoundedCopyOfARecordTooLargeToDeadLetterWhole() {
		byte[] value = new byte[700_000];
		Arrays.fill(value, (byte) 'v');
		String key = "k".repeat(10_000);
		Headers headers = new RecordHeaders().add("traceparent", bytes("00-abc"))
			.add("junk", new byte[300_000])
			.add("more-junk", new byte[300]);

		DeadLetters.DeadLetter letter = DeadLetters.of(key, value, headers, new IllegalArgumentException("too large"),
				"payments", 1, 7, "order-service");

		assertThat(letter.value()).hasSize(DeadLetters.KEPT_VALUE_BYTES);
		assertThat(letter.key()).hasSize(DeadLetters.KEPT_KEY_CHARACTERS);
		assertThat(text(letter.headers(), "traceparent")).isEqualTo("00-abc");
		assertThat(letter.headers().lastHeader("junk")).isNull();
		assertThat(letter.headers().lastHeader("more-junk")).isNull();
		assertThat(text(letter.headers(), DeadLetters.TRUNCATED)).isEqualTo(
				"value cut from 700000 to 65536 bytes; key cut from 10000 to 256 characters; 2 of 3 headers left out");
		assertThat(text(letter.headers(), "kafka_dlt-original-topic")).isEqualTo("payments");
		long size = letter.value().length + letter.key().length()
				+ Arrays.stream(letter.headers().toArray()).mapToLong((h) -> h.key().length() + h.value().length).sum();
		assertThat(size).isLessThan(DeadLetters.MAX_WHOLE_BYTES);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String text(Headers headers, String name) {
		return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
	}

}
