package io.ordersaga.order;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.ordersaga.kafka.test.Actuator;
import io.ordersaga.kafka.test.TestKafkaBroker;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not a test (its name keeps it out of the test run): measures the CPU order-service's
 * own threads spend on one {@code POST /orders}, read per thread from the JVM, so that
 * neither the client in the same JVM, nor the broker, nor the JIT compilers count, and a
 * busy machine changes the figures less than it changes the time taken. Orders are sent
 * without an {@code Idempotency-Key} by 16 clients that each wait for their answer, on
 * the shared test broker; nothing pays them, so admission control is set wide open. Run
 * with:
 *
 * <pre>
 * ./mvnw -pl order-service -am test -Dtest=PlaceOrderCostBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * {@code -Dorders=} sets how many orders each of the measured rounds sends (10,000 unless
 * set), after four times as many to warm up. Each round prints the microseconds of CPU
 * per order of each kind of thread: Tomcat's request threads, its poller and acceptor,
 * the producers' network threads, the Kafka Streams threads and the rest.
 */
@OrderServiceIntegrationTest
@TestPropertySource(properties = { "ordersaga.orders.min-pending-orders=1000000",
		"ordersaga.orders.max-pending-orders=1000000", "ordersaga.orders.max-concurrent-placements=64" })
class PlaceOrderCostBenchmark {

	private static final int CLIENTS = 16;

	private static final int ROUNDS = 3;

	/** How the names of the client's threads and of the in-process broker's begin. */
	private static final List<String> NOT_ORDER_SERVICE = List.of("pool-", "HttpClient", "broker-", "controller-",
			"kafka-", "data-plane", "ExpirationReaper", "TxnMarkerSenderThread", "AddPartitionsToTxnSenderThread",
			"group-coordinator", "share-coordinator", "transaction-");

	private static final String BODY = """
			{"customerId":"%s","currency":"EUR","items":[{"sku":"book-1","quantity":2,"unitPrice":12.50},\
			{"sku":"pen-7","quantity":1,"unitPrice":3.20}]}""";

	@LocalServerPort
	private int port;

	@Test
	void cpuPerPlacedOrder() throws Exception {
		Actuator.awaitReady(this.port);
		int orders = Integer.getInteger("orders", 10_000);
		try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
				ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
			send(http, clients, 4 * orders);
			List<Map<String, Double>> rounds = new ArrayList<>();
			for (int round = 0; round < ROUNDS; round++) {
				Map<String, Long> before = cpuByThread();
				long start = System.nanoTime();
				send(http, clients, orders);
				double seconds = (System.nanoTime() - start) / 1e9;
				Map<String, Long> after = cpuByThread();
				Map<String, Double> perOrder = new TreeMap<>();
				Map<String, Double> others = new HashMap<>();
				after.forEach((thread, nanos) -> {
					double micros = (nanos - before.getOrDefault(thread, 0L)) / 1000.0 / orders;
					String kind = kind(thread);
					if (kind != null) {
						perOrder.merge(kind, micros, Double::sum);
					}
					if ("other".equals(kind)) {
						others.merge(thread.replaceAll("\\d+", "N"), micros, Double::sum);
					}
				});
				rounds.add(perOrder);
				System.out.printf(
						"POST /orders, round %d of %d (%,d orders, %.0f/s): %s µs of CPU per order, %.1f in all; other: %s%n",
						round + 1, ROUNDS, orders, orders / seconds, format(perOrder),
						perOrder.values().stream().mapToDouble(Double::doubleValue).sum(), format(busiest(others)));
			}
			System.out.printf("POST /orders, request threads, best round: %.1f µs of CPU per order%n",
					rounds.stream().mapToDouble((round) -> round.getOrDefault("request", 0.0)).min().orElseThrow());
		}
	}

	private void send(HttpClient http, ExecutorService clients, int orders) throws Exception {
		AtomicInteger left = new AtomicInteger(orders);
		AtomicInteger accepted = new AtomicInteger();
		String customer = TestKafkaBroker.uniqueName("cost");
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/orders"))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString(BODY.formatted(customer)))
			.build();
		List<Future<?>> running = new ArrayList<>();
		for (int i = 0; i < CLIENTS; i++) {
			running.add(clients.submit(() -> {
				while (left.getAndDecrement() > 0) {
					HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
					if (answer.statusCode() != 202) {
						throw new IllegalStateException(answer.statusCode() + " " + answer.body());
					}
					accepted.incrementAndGet();
				}
				return null;
			}));
		}
		for (Future<?> client : running) {
			client.get();
		}
		assertThat(accepted).hasValue(orders);
	}

	/** CPU used so far by each live thread of this JVM, in nanoseconds, by name. */
	private static Map<String, Long> cpuByThread() {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		Map<String, Long> byName = new HashMap<>();
		for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
			long nanos = (thread != null) ? threads.getThreadCpuTime(thread.getThreadId()) : -1;
			if (nanos > 0) {
				byName.merge(thread.getThreadName(), nanos, Long::sum);
			}
		}
		return byName;
	}

	private static Map<String, Double> busiest(Map<String, Double> threads) {
		Map<String, Double> busiest = new TreeMap<>();
		threads.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Double>comparingByValue().reversed())
			.limit(4)
			.forEach((thread) -> busiest.put(thread.getKey(), thread.getValue()));
		return busiest;
	}

	/**
	 * The kind of an order-service thread; {@code null} for the client's and the
	 * broker's.
	 */
	private static @Nullable String kind(String name) {
		// With virtual threads, requests run on the carriers of the JVM's scheduler.
		if (name.startsWith("http-nio-") && name.contains("-exec-") || name.startsWith("ForkJoinPool-1-worker-")) {
			return "request";
		}
		if (name.startsWith("http-nio-")) {
			return "poller";
		}
		if (name.startsWith("kafka-producer-network-thread")) {
			return "producer";
		}
		if (name.contains("StreamThread")) {
			return "streams";
		}
		// The client's threads and the broker's are not order-service's.
		if (NOT_ORDER_SERVICE.stream().anyMatch(name::startsWith) || name.contains("RequestSendThread")) {
			return null;
		}
		return "other";
	}

	private static String format(Map<String, Double> perOrder) {
		return perOrder.entrySet()
			.stream()
			.map((kind) -> kind.getKey() + " " + String.format("%.1f", kind.getValue()))
			.collect(Collectors.joining(", "));
	}

}
