package io.ordersaga.support.streams;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.support.KafkaHeaders;

/**
 * Builds the dead letter of a record that could not be processed: the record with the
 * error headers of Spring Kafka's {@code DeadLetterPublishingRecoverer}, so a record sent
 * to a dead-letter topic by a Kafka Streams topology looks the same as one sent by a
 * listener.
 *
 * <p>
 * A dead letter is never larger than a broker takes. The error message and stack trace
 * are cut to {@value #MAX_MESSAGE_CHARACTERS} and {@value #MAX_STACK_TRACE_CHARACTERS}
 * characters (an error may repeat the whole record), and a record that would make a dead
 * letter of more than {@value #MAX_WHOLE_BYTES} bytes is dead-lettered as a bounded copy:
 * the start of its value and key, its small headers, and a header saying what was left
 * out. The original stays in its topic, which keeps every record; the headers say where.
 */
public final class DeadLetters {

	/** The header that says what a bounded copy left out of the record. */
	public static final String TRUNCATED = "ordersaga_dlt-truncated";

	/**
	 * A dead letter up to this size is the whole record; half of what a broker and a
	 * producer take by default (1 MiB), leaving room for the error headers and the batch.
	 */
	public static final int MAX_WHOLE_BYTES = 512 * 1024;

	/** How much of a value a bounded copy keeps. */
	public static final int KEPT_VALUE_BYTES = 64 * 1024;

	/** How much of a key a bounded copy keeps, in characters. */
	static final int KEPT_KEY_CHARACTERS = 256;

	/** How large an original header a bounded copy keeps, and all of them together. */
	static final int KEPT_HEADER_BYTES = 256;

	static final int KEPT_HEADERS_BYTES = 8 * 1024;

	static final int MAX_MESSAGE_CHARACTERS = 4 * 1024;

	static final int MAX_STACK_TRACE_CHARACTERS = 16 * 1024;

	private DeadLetters() {
	}

	/**
	 * The dead letter of a record.
	 * @param key the record's key
	 * @param value its value
	 * @param headers its headers, which are not changed
	 * @param error why it failed
	 * @param topic the topic it came from
	 * @param partition its partition
	 * @param offset its offset
	 * @param consumerGroup the group (or Kafka Streams application id) that failed it
	 * @return the dead letter, at most about {@value #MAX_WHOLE_BYTES} bytes
	 */
	public static DeadLetter of(@Nullable String key, byte[] value, Headers headers, Exception error, String topic,
			int partition, long offset, String consumerGroup) {
		Header[] original = headers.toArray();
		long size = utf8Length(key) + value.length + Arrays.stream(original).mapToLong(DeadLetters::size).sum();
		DeadLetter letter = (size <= MAX_WHOLE_BYTES) ? new DeadLetter(key, value, new RecordHeaders(original))
				: bounded(key, value, original);
		addErrorHeaders(letter.headers(), error, topic, partition, offset, consumerGroup);
		return letter;
	}

	private static DeadLetter bounded(@Nullable String key, byte[] value, Header[] original) {
		List<String> leftOut = new ArrayList<>();
		byte[] keptValue = value;
		if (value.length > KEPT_VALUE_BYTES) {
			keptValue = Arrays.copyOf(value, KEPT_VALUE_BYTES);
			leftOut.add("value cut from " + value.length + " to " + KEPT_VALUE_BYTES + " bytes");
		}
		String keptKey = key;
		if (key != null && key.length() > KEPT_KEY_CHARACTERS) {
			keptKey = key.substring(0, KEPT_KEY_CHARACTERS);
			leftOut.add("key cut from " + key.length() + " to " + KEPT_KEY_CHARACTERS + " characters");
		}
		RecordHeaders kept = new RecordHeaders();
		int keptBytes = 0;
		int dropped = 0;
		for (Header header : original) {
			int headerSize = size(header);
			if (headerSize <= KEPT_HEADER_BYTES && keptBytes + headerSize <= KEPT_HEADERS_BYTES) {
				kept.add(header);
				keptBytes += headerSize;
			}
			else {
				dropped++;
			}
		}
		if (dropped > 0) {
			leftOut.add(dropped + " of " + original.length + " headers left out");
		}
		kept.add(TRUNCATED, utf8(String.join("; ", leftOut)));
		return new DeadLetter(keptKey, keptValue, kept);
	}

	/**
	 * Adds the error headers to a failed record's headers.
	 * @param headers the failed record's headers, kept as they were
	 * @param error why the record failed
	 * @param topic the topic the record came from
	 * @param partition its partition
	 * @param offset its offset
	 * @param consumerGroup the group (or Kafka Streams application id) that failed it
	 * @return the same headers
	 */
	public static Headers addErrorHeaders(Headers headers, Exception error, String topic, int partition, long offset,
			String consumerGroup) {
		headers.add(KafkaHeaders.DLT_EXCEPTION_FQCN, utf8(error.getClass().getName()));
		headers.add(KafkaHeaders.DLT_EXCEPTION_MESSAGE,
				utf8(shortened(String.valueOf(error.getMessage()), MAX_MESSAGE_CHARACTERS)));
		headers.add(KafkaHeaders.DLT_EXCEPTION_STACKTRACE,
				utf8(shortened(stackTrace(error), MAX_STACK_TRACE_CHARACTERS)));
		headers.add(KafkaHeaders.DLT_ORIGINAL_TOPIC, utf8(topic));
		headers.add(KafkaHeaders.DLT_ORIGINAL_PARTITION, ByteBuffer.allocate(Integer.BYTES).putInt(partition).array());
		headers.add(KafkaHeaders.DLT_ORIGINAL_OFFSET, ByteBuffer.allocate(Long.BYTES).putLong(offset).array());
		headers.add(KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP, utf8(consumerGroup));
		return headers;
	}

	/**
	 * A text as a log line or a header repeats it: its start, if it is long.
	 * @param text the text
	 * @param most the most characters to keep
	 * @return the text, or its start and how long it was
	 */
	public static String shortened(String text, int most) {
		return (text.length() <= most) ? text : text.substring(0, most) + "… (" + text.length() + " characters)";
	}

	private static int size(Header header) {
		return header.key().length() + ((header.value() != null) ? header.value().length : 0);
	}

	private static long utf8Length(@Nullable String text) {
		return (text != null) ? utf8(text).length : 0;
	}

	private static byte[] utf8(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static String stackTrace(Exception error) {
		StringWriter trace = new StringWriter();
		error.printStackTrace(new PrintWriter(trace));
		return trace.toString();
	}

	/**
	 * A dead letter, ready to be written to a dead-letter topic.
	 *
	 * @param key the key
	 * @param value the value
	 * @param headers the headers, error headers included
	 */
	public record DeadLetter(@Nullable String key, byte[] value, Headers headers) {
	}

}
