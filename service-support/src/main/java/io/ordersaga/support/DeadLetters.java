package io.ordersaga.support;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Headers;

import org.springframework.kafka.support.KafkaHeaders;

/**
 * Writes the error headers of a dead-letter record. They use Spring Kafka's header names,
 * so a record sent to a dead-letter topic by a Kafka Streams topology looks the same as
 * one sent by a listener's {@code DeadLetterPublishingRecoverer}.
 */
public final class DeadLetters {

	private DeadLetters() {
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
		headers.add(KafkaHeaders.DLT_EXCEPTION_MESSAGE, utf8(String.valueOf(error.getMessage())));
		headers.add(KafkaHeaders.DLT_EXCEPTION_STACKTRACE, utf8(stackTrace(error)));
		headers.add(KafkaHeaders.DLT_ORIGINAL_TOPIC, utf8(topic));
		headers.add(KafkaHeaders.DLT_ORIGINAL_PARTITION, ByteBuffer.allocate(Integer.BYTES).putInt(partition).array());
		headers.add(KafkaHeaders.DLT_ORIGINAL_OFFSET, ByteBuffer.allocate(Long.BYTES).putLong(offset).array());
		headers.add(KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP, utf8(consumerGroup));
		return headers;
	}

	private static byte[] utf8(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

	private static String stackTrace(Exception error) {
		StringWriter trace = new StringWriter();
		error.printStackTrace(new PrintWriter(trace));
		return trace.toString();
	}

}
