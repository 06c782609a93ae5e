package io.ordersaga.order;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.PaymentAuthorized;
import io.ordersaga.events.Topic;
import io.ordersaga.kafka.test.Actuator;
import io.ordersaga.kafka.test.TestKafkaBroker;
import io.ordersaga.order.core.OrderStatus;
import io.ordersaga.order.view.FirstPlacements;
import io.ordersaga.order.view.OrderProjection;
import io.ordersaga.order.view.OrderView;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Admission control on a real broker: an instance that may take 10 pending orders (a
 * context of its own), with payment-service played by the test, which pays only once the
 * line is full. A keyed {@code POST} may wait 30 s for its order to be read back, so that
 * a stall the test makes lasts as long as the test needs.
 */
@OrderServiceIntegrationTest
@TestPropertySource(
		properties = { "ordersaga.orders.max-pending-orders=10", "ordersaga.orders.read-your-writes-timeout=30s" })
class OrderAdmissionIntegrationTests {

	@Autowired
	private RestTestClient http;

	@Autowired
	private OrderProjection projection;

	@Autowired
	private FirstPlacements firstPlacements;

	@LocalServerPort
	private int port;

	@Test
	void refusesOrdersPastTheBoundWithoutWritingThemAndTakesTheRetryOnceTheLineMoves() throws Exception {
		Actuator.awaitReady(this.port);
		// Orders of other tests in this JVM end or age out within their 4 s timeout.
		await().atMost(Duration.ofSeconds(60)).until(() -> this.projection.pendingOrders() == 0);
		String customer = TestKafkaBroker.uniqueName("customer");

		List<OrderView> accepted = new ArrayList<>();
		EntityExchangeResult<byte[]> refused = null;
		String refusedKey = null;
		for (int i = 0; i < 30 && refused == null; i++) {
			String key = TestKafkaBroker.uniqueName("admission");
			EntityExchangeResult<byte[]> answer = post(customer, key);
			if (answer.getStatus().isSameCodeAs(HttpStatus.ACCEPTED)) {
				accepted.add(this.http.get()
					.uri(answer.getResponseHeaders().getLocation())
					.exchange()
					.expectBody(OrderView.class)
					.returnResult()
					.getResponseBody());
			}
			else {
				refused = answer;
				refusedKey = key;
			}
		}

		// A keyed POST answers once the projection has read its order, so the count
		// includes every order accepted before the next POST: exactly 10 get in.
		assertThat(accepted).hasSize(10);
		assertThat(refused).isNotNull();
		assertThat(refused.getStatus().value()).isEqualTo(503);
		assertThat(refused.getResponseHeaders().getFirst("Retry-After")).isEqualTo("1");
		assertThat(refused.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		// Nor does a path that Spring MVC reads as /orders get past it.
		for (String path : List.of("/orders;bypass=1", "/orders;jsessionid=x", "//orders")) {
			assertThat(rawPost(path, customer)).as(path).isEqualTo(503);
		}
		UUID refusedOrder = OrderPlacement.orderIdFor(customer, refusedKey);
		// Nothing was written: every instance reads every partition before it answers
		// 404.
		this.http.get().uri("/orders/{id}", refusedOrder).exchange().expectStatus().isNotFound();

		for (OrderView order : accepted) {
			pay(order.orderId());
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> this.projection.pendingOrders() == 0);
		EntityExchangeResult<byte[]> retried = post(customer, refusedKey);
		assertThat(retried.getStatus().value()).isEqualTo(HttpStatus.ACCEPTED.value());
		assertThat(retried.getResponseHeaders().getFirst(OrderController.IDEMPOTENT_REPLAYED)).isEqualTo("false");
		pay(refusedOrder);

		// Every accepted order completes, and none by running out of time.
		for (OrderView order : accepted) {
			TestEvents.awaitStatus(this.http, order.orderId(), OrderStatus.CONFIRMED);
		}
		TestEvents.awaitStatus(this.http, refusedOrder, OrderStatus.CONFIRMED);
	}

	@Test
	void whileTheProjectionStandsStillTheOrdersItHasNotReadCountAndOneMoreIsRefusedAtOnce() throws Exception {
		Actuator.awaitReady(this.port);
		await().atMost(Duration.ofSeconds(60)).until(() -> this.projection.pendingOrders() == 0);
		String customer = TestKafkaBroker.uniqueName("customer");
		try (KafkaProducer<String, String> stall = stallOrders();
				ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
			// Without a key an order is answered as soon as the broker has it, unread.
			// These counted for nothing, and a flood of them was taken without bound.
			for (int i = 0; i < 6; i++) {
				assertThat(post(customer, null).getStatus()).isEqualTo(HttpStatus.ACCEPTED);
			}
			// With a key it is written and read back, uncommitted, as soon as the broker
			// has it; the projection does not read it yet.
			List<Future<EntityExchangeResult<byte[]>>> waiting = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				waiting.add(clients.submit(() -> post(customer, TestKafkaBroker.uniqueName("stalled"))));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> this.projection.unreadPlacements() == 10);
			assertThat(this.projection.pendingOrders()).isZero();

			// One more of either kind is refused at once, though 60 more placements
			// would fit.
			for (String key : Arrays.asList(null, TestKafkaBroker.uniqueName("past-the-bound"))) {
				EntityExchangeResult<byte[]> next = post(customer, key);
				assertThat(next.getStatus().value()).as("key %s", key).isEqualTo(503);
				assertThat(new String(next.getResponseBody(), StandardCharsets.UTF_8))
					.contains("\"title\":\"Too many orders pending\"");
			}

			stall.abortTransaction();
			for (Future<EntityExchangeResult<byte[]>> placement : waiting) {
				assertThat(placement.get(60, TimeUnit.SECONDS).getStatus()).isEqualTo(HttpStatus.ACCEPTED);
			}
		}
		// They end by the payment timeout; the other tests need the line empty.
		await().atMost(Duration.ofSeconds(60)).until(() -> this.projection.pendingOrders() == 0);
	}

	/**
	 * A keyed order, and its retries, need not wait for the projection to read it: which
	 * attempt came first is read as soon as the broker has it. Before, they waited for
	 * every transaction open on the partition to end (here, the test's 30 s time-out).
	 */
	@Test
	void keyedOrdersAndTheirRetriesAreAnsweredWhileATransactionHoldsTheProjectionBack() throws Exception {
		Actuator.awaitReady(this.port);
		await().atMost(Duration.ofSeconds(60)).until(() -> this.projection.pendingOrders() == 0);
		String customer = TestKafkaBroker.uniqueName("customer");
		String key = TestKafkaBroker.uniqueName("held-back");
		UUID orderId = OrderPlacement.orderIdFor(customer, key);
		// It starts once the projection has caught up; readiness does not wait for it.
		await().atMost(Duration.ofSeconds(60)).until(this.firstPlacements::isFollowing);
		try (KafkaProducer<String, String> stall = stallOrders();
				ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
			Future<EntityExchangeResult<byte[]>> first = clients.submit(() -> post(customer, key));
			EntityExchangeResult<byte[]> placed = first.get(20, TimeUnit.SECONDS);
			assertThat(placed.getStatus()).isEqualTo(HttpStatus.ACCEPTED);
			assertThat(placed.getResponseHeaders().getFirst(OrderController.IDEMPOTENT_REPLAYED)).isEqualTo("false");

			// A retry is the same order; another order under the same key is refused.
			EntityExchangeResult<byte[]> retry = clients.submit(() -> post(customer, key)).get(20, TimeUnit.SECONDS);
			assertThat(retry.getStatus()).isEqualTo(HttpStatus.ACCEPTED);
			assertThat(retry.getResponseHeaders().getFirst(OrderController.IDEMPOTENT_REPLAYED)).isEqualTo("true");
			EntityExchangeResult<byte[]> other = clients.submit(() -> post(customer, key, "BOOK-2"))
				.get(20, TimeUnit.SECONDS);
			assertThat(other.getStatus()).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);

			assertThat(this.projection.find(orderId)).as("read by the projection while the transaction is open")
				.isEmpty();
			stall.abortTransaction();
		}
		TestEvents.awaitStatus(this.http, orderId, OrderStatus.CANCELLED);
		await().atMost(Duration.ofSeconds(60)).until(() -> this.projection.pendingOrders() == 0);
	}

	/**
	 * Leaves a transaction open on every partition of {@code orders}: the projection
	 * reads committed records only, so it reads nothing written after these, as when a
	 * writer dies mid-transaction or order-service's collector stops the world.
	 */
	private static KafkaProducer<String, String> stallOrders() throws Exception {
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafkaBroker.bootstrapServers(),
				ProducerConfig.TRANSACTIONAL_ID_CONFIG, TestKafkaBroker.uniqueName("stall"));
		KafkaProducer<String, String> stall = new KafkaProducer<>(config, new StringSerializer(),
				new StringSerializer());
		stall.initTransactions();
		stall.beginTransaction();
		for (PartitionInfo partition : stall.partitionsFor(Topic.ORDERS.topicName())) {
			stall.send(new ProducerRecord<>(Topic.ORDERS.topicName(), partition.partition(), "stall", "{}"))
				.get(30, TimeUnit.SECONDS);
		}
		return stall;
	}

	@Test
	void clientsThatNeverSendTheirBodyHoldNoThreadForLong() throws Exception {
		// More than Tomcat's 80 threads and admission's 64 placements: with Tomcat's
		// default of 60 s each held its thread for a minute or more, and every order
		// after them waited as long.
		List<Socket> stalled = new ArrayList<>();
		try {
			for (int i = 0; i < 90; i++) {
				Socket socket = new Socket("localhost", this.port);
				socket.setSoTimeout(20_000);
				socket.getOutputStream()
					.write(("POST /orders HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
							+ "Content-Length: 100\r\n\r\n{")
						.getBytes(StandardCharsets.US_ASCII));
				stalled.add(socket);
			}
			for (Socket socket : stalled) {
				// The server gives up on the body and closes the connection (a read that
				// timed out here would throw).
				socket.getInputStream().readAllBytes();
			}
		}
		finally {
			for (Socket socket : stalled) {
				socket.close();
			}
		}

		EntityExchangeResult<byte[]> answer = post(TestKafkaBroker.uniqueName("customer"),
				TestKafkaBroker.uniqueName("after-stalled"));
		assertThat(answer.getStatus()).isEqualTo(HttpStatus.ACCEPTED);
	}

	private EntityExchangeResult<byte[]> post(String customer, @Nullable String idempotencyKey) {
		return post(customer, idempotencyKey, "BOOK-1");
	}

	private EntityExchangeResult<byte[]> post(String customer, @Nullable String idempotencyKey, String sku) {
		return this.http.post().uri("/orders").contentType(MediaType.APPLICATION_JSON).headers((headers) -> {
			if (idempotencyKey != null) {
				headers.set("Idempotency-Key", idempotencyKey);
			}
		})
			.body("""
					{"customerId":"%s","currency":"EUR","items":[{"sku":"%s","quantity":1,"unitPrice":5}]}"""
				.formatted(customer, sku))
			.exchange()
			.expectBody()
			.returnResult();
	}

	/** A POST sent as written, which RestTestClient would normalize. */
	private int rawPost(String path, String customer) throws Exception {
		String body = "{\"customerId\":\"" + customer
				+ "\",\"currency\":\"EUR\",\"items\":[{\"sku\":\"BOOK-1\",\"quantity\":1,\"unitPrice\":5}]}";
		try (HttpClient client = HttpClient.newHttpClient()) {
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.build();
			return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
		}
	}

	private static void pay(UUID orderId) {
		EventEnvelope<OrderPlaced> placed = TestEvents.orderPlaced(orderId);
		TestEvents.publish(placed.causes("/payment-service",
				new PaymentAuthorized(placed.data().customerId(), placed.data().total(), placed.data().currency())));
	}

}
