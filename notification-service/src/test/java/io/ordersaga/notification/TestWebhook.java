package io.ordersaga.notification;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server standing in for a customer's webhook endpoint. It records every call
 * and fails, with a 500, the calls about orders it was told to fail; it answers the calls
 * about orders it was told to drip one byte every half second, for a minute.
 */
final class TestWebhook {

	private final HttpServer server;

	private final List<Call> calls = new CopyOnWriteArrayList<>();

	private final Map<String, AtomicInteger> failuresLeft = new ConcurrentHashMap<>();

	private final Set<String> dripping = ConcurrentHashMap.newKeySet();

	/** The bodies of dripping calls whose client hung up before the drip ended. */
	private final List<String> hungUp = new CopyOnWriteArrayList<>();

	TestWebhook() {
		try {
			this.server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.createContext("/hook", this::handle);
		// A call that drips its answer holds a thread of its own, not the server.
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.start();
	}

	String url() {
		return "http://localhost:" + this.server.getAddress().getPort() + "/hook";
	}

	/**
	 * Fails the next {@code times} calls about an order; {@code Integer.MAX_VALUE} for
	 * always.
	 */
	void fail(String orderId, int times) {
		this.failuresLeft.put(orderId, new AtomicInteger(times));
	}

	/** Answers every call about an order with a byte every half second, for a minute. */
	void drip(String orderId) {
		this.dripping.add(orderId);
	}

	/**
	 * Whether a client hung up on a dripping call about an order before its minute of
	 * dripping was over.
	 */
	boolean hungUpOn(String orderId) {
		return this.hungUp.stream().anyMatch((body) -> body.contains(orderId));
	}

	/** The calls about an order, in the order they came. */
	List<Call> callsFor(String orderId) {
		return this.calls.stream().filter((call) -> call.body().contains(orderId)).toList();
	}

	private void handle(HttpExchange exchange) throws IOException {
		String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
		if (this.dripping.stream().anyMatch(body::contains)) {
			this.calls.add(call(exchange, body, false));
			drip(exchange, body);
			return;
		}
		String orderId = this.failuresLeft.keySet().stream().filter(body::contains).findFirst().orElse(null);
		boolean failing = orderId != null && this.failuresLeft.get(orderId).getAndDecrement() > 0;
		this.calls.add(call(exchange, body, !failing));
		exchange.sendResponseHeaders(failing ? 500 : 204, -1);
		exchange.close();
	}

	private void drip(HttpExchange exchange, String body) throws IOException {
		exchange.sendResponseHeaders(200, 0);
		try (OutputStream out = exchange.getResponseBody()) {
			for (int i = 0; i < 120; i++) {
				out.write('.');
				out.flush();
				Thread.sleep(500);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (IOException ex) {
			// The client hung up: what a deadline does.
			this.hungUp.add(body);
		}
	}

	private static Call call(HttpExchange exchange, String body, boolean succeeded) {
		return new Call(body, exchange.getRequestHeaders().getFirst("Idempotency-Key"),
				exchange.getRequestHeaders().getFirst("traceparent"), succeeded, Instant.now());
	}

	record Call(String body, String idempotencyKey, String traceparent, boolean succeeded, Instant time) {

		/** The trace id of the call's {@code traceparent}, or {@code null}. */
		String traceId() {
			return (this.traceparent != null) ? this.traceparent.split("-")[1] : null;
		}

	}

}
