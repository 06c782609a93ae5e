package io.ordersaga.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;

/**
 * An OTLP/HTTP receiver of spans in the test: what a collector, Jaeger or Tempo would
 * receive from the services at {@code /v1/traces}, kept as it came. It reads the protobuf
 * no further than a test needs: whether a request holds a span of a trace (its 16 bytes),
 * and the {@code service.name} of the resource that sent it. It keeps what it receives
 * only while told which traces to look for, so it stays small however long the suite
 * runs.
 */
final class OtlpReceiver implements AutoCloseable {

	/** A resource attribute {@code service.name} and its string value, in protobuf. */
	private static final Pattern SERVICE_NAME = Pattern.compile("service\\.name[\\s\\S]{2,6}?([a-z][a-z0-9-]+)");

	private final HttpServer server;

	private final ConcurrentLinkedQueue<byte[]> wanted = new ConcurrentLinkedQueue<>();

	/** The services that sent a span of a wanted trace, with the trace id. */
	private final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();

	OtlpReceiver() {
		try {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.createContext("/v1/traces", (exchange) -> {
			byte[] body = exchange.getRequestBody().readAllBytes();
			for (byte[] trace : this.wanted) {
				if (contains(body, trace)) {
					String text = new String(body, StandardCharsets.ISO_8859_1);
					Matcher service = SERVICE_NAME.matcher(text);
					String name = service.find() ? service.group(1) : "unknown";
					this.seen.add(HexFormat.of().formatHex(trace) + " " + name);
				}
			}
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		this.server.start();
	}

	/**
	 * The base URL to give as {@code OTEL_EXPORTER_OTLP_ENDPOINT}.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	String endpoint() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/**
	 * Looks for the spans of a trace from now on.
	 * @param traceId the trace id, 32 hexadecimal digits
	 */
	void watch(String traceId) {
		this.wanted.add(HexFormat.of().parseHex(traceId));
	}

	/**
	 * The services that sent a span of a trace so far.
	 * @param traceId the trace id
	 * @return their names
	 */
	Set<String> servicesOf(String traceId) {
		Set<String> services = new TreeSet<>();
		for (String entry : List.copyOf(this.seen)) {
			if (entry.startsWith(traceId + " ")) {
				services.add(entry.substring(traceId.length() + 1));
			}
		}
		return services;
	}

	private static boolean contains(byte[] body, byte[] part) {
		outer: for (int i = 0; i <= body.length - part.length; i++) {
			for (int j = 0; j < part.length; j++) {
				if (body[i + j] != part[j]) {
					continue outer;
				}
			}
			return true;
		}
		return false;
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
