package io.ordersaga.support.streams;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

/**
 * Continues a trace through code that Spring's Kafka observation does not wrap, such as a
 * Kafka Streams processor: the work on a record runs in a span that is a child of the
 * trace in the record's headers (so its log lines carry the trace id), and records
 * written meanwhile carry that span onwards.
 */
public class RecordTracing {

	/** Tracing switched off, for tests of a topology without an application context. */
	public static final RecordTracing NOOP = new RecordTracing(Tracer.NOOP, Propagator.NOOP);

	/** The W3C trace-context header. */
	public static final String TRACEPARENT = "traceparent";

	/** {@code version-traceid-parentid-flags}, in lower-case hex. */
	private static final Pattern W3C_TRACEPARENT = Pattern.compile("[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

	private static final int TRACEPARENT_LENGTH = 55;

	private final Tracer tracer;

	private final Propagator propagator;

	public RecordTracing(Tracer tracer, Propagator propagator) {
		this.tracer = tracer;
		this.propagator = propagator;
	}

	/**
	 * Runs work in a span continuing the trace of a record's headers.
	 * @param <T> the result type
	 * @param name the span's name
	 * @param headers the record's headers
	 * @param work the work
	 * @return the work's result
	 */
	public <T> T within(String name, Headers headers, Supplier<T> work) {
		Span span = this.propagator.extract(headers, RecordTracing::header).name(name).kind(Span.Kind.CONSUMER).start();
		try (Tracer.SpanInScope scope = this.tracer.withSpan(span)) {
			return work.get();
		}
		catch (RuntimeException ex) {
			span.error(ex);
			throw ex;
		}
		finally {
			span.end();
		}
	}

	/**
	 * Runs work in a span continuing a trace remembered from an earlier record.
	 * @param name the span's name
	 * @param traceparent the remembered {@code traceparent}, or {@code null} to start a
	 * trace
	 * @param work the work
	 */
	public void within(String name, @Nullable String traceparent, Runnable work) {
		RecordHeaders headers = new RecordHeaders();
		if (traceparent != null) {
			headers.add(TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
		}
		within(name, headers, () -> {
			work.run();
			return null;
		});
	}

	/**
	 * Replaces the trace headers of an outgoing record with the current span, so the next
	 * consumer continues this trace.
	 * @param headers the outgoing record's headers
	 * @return the same headers
	 */
	public Headers inject(Headers headers) {
		Span current = this.tracer.currentSpan();
		if (current != null) {
			this.propagator.inject(current.context(), headers, (carrier, key, value) -> {
				if (carrier != null) {
					carrier.remove(key);
					carrier.add(key, value.getBytes(StandardCharsets.UTF_8));
				}
			});
		}
		return headers;
	}

	/**
	 * The {@code traceparent} of a record, to remember with state that outlives the
	 * record. Only a well-formed one is kept: whoever writes a record chooses its
	 * headers, and state must not grow by what they choose.
	 * @param headers the record's headers
	 * @return the header's value, or {@code null} if it is missing or not a W3C
	 * {@code traceparent}
	 */
	public static @Nullable String traceparent(Headers headers) {
		Header header = headers.lastHeader(TRACEPARENT);
		if (header == null || header.value() == null || header.value().length != TRACEPARENT_LENGTH) {
			return null;
		}
		String value = new String(header.value(), StandardCharsets.UTF_8);
		return W3C_TRACEPARENT.matcher(value).matches() ? value : null;
	}

	private static @Nullable String header(Headers headers, String key) {
		Header header = headers.lastHeader(key);
		return (header != null) ? new String(header.value(), StandardCharsets.UTF_8) : null;
	}

}
