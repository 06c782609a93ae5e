package io.ordersaga.order;

import io.ordersaga.order.core.OrderStatus;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.ordersaga.events.DeclineReason;
import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.PaymentAuthorized;
import io.ordersaga.events.PaymentDeclined;
import io.ordersaga.events.Topic;
import io.ordersaga.events.kafka.EventCodec;
import io.ordersaga.kafka.test.TestKafkaBroker;
import io.ordersaga.kafka.test.TopicReader;
import io.ordersaga.order.view.OrderPage;
import io.ordersaga.order.view.OrderView;
import io.ordersaga.kafka.test.Actuator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The saga through the REST API and a real broker, with payment-service played by the
 * test.
 */
@OrderServiceIntegrationTest
class OrderSagaIntegrationTests {

	private static final Duration WAIT = TestEvents.WAIT;

	@Autowired
	private RestTestClient http;

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@Test
	void placingAnOrderPublishesOrderPlacedKeyedByTheOrderId() {
		OrderView order = place(newCustomer(), null);

		ConsumerRecord<String, byte[]> record = TestEvents.orderPlacedRecord(order.orderId());
		EventEnvelope<?> event = EventCodec.instance().decode("orders", record.value());
		assertThat(event.data()).isInstanceOf(OrderPlaced.class);
		assertThat(event.source()).isEqualTo("/order-service");
		assertThat(event.id()).isEqualTo(order.placedEventId());
		assertThat(event.correlationId()).isEqualTo(event.id());
		assertThat(((OrderPlaced) event.data()).total()).isEqualByComparingTo("25.00");
		assertThat(header(record, "content-type")).isEqualTo(EventCodec.CONTENT_TYPE);
		// Not sampled (nothing records spans), but the trace goes on all the same. The
		// flags may carry W3C Trace Context level 2's "random trace id" bit (0x02).
		String traceparent = header(record, "traceparent");
		assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");
		assertThat(Integer.parseInt(traceparent.substring(53), 16) & 0x01).as("sampled flag of " + traceparent)
			.isZero();
	}

	@Test
	void aPriceSentWithAnExponentGoesOnTheWireInPlainDigits() {
		OrderView order = post(body(newCustomer(), "1E+1"), null, HttpStatus.ACCEPTED).getResponseBody();

		String json = new String(TestEvents.orderPlacedRecord(order.orderId()).value(), StandardCharsets.UTF_8);
		assertThat(json).contains("\"unitPrice\":\"10\"").contains("\"total\":\"20\"");
	}

	@Test
	void anAuthorizedPaymentConfirmsTheOrder() {
		OrderView order = place(newCustomer(), null);
		EventEnvelope<OrderPlaced> placed = TestEvents.orderPlaced(order.orderId());

		TestEvents.publish(placed.causes("/payment-service",
				new PaymentAuthorized(placed.data().customerId(), placed.data().total(), placed.data().currency())));

		OrderView confirmed = TestEvents.awaitStatus(this.http, order.orderId(), OrderStatus.CONFIRMED);
		assertThat(confirmed.history()).extracting(OrderView.HistoryEntry::type)
			.containsExactly("OrderPlaced", "PaymentAuthorized", "OrderConfirmed");
	}

	@Test
	void aDeclinedPaymentCancelsTheOrderWithItsReason() {
		OrderView order = place(newCustomer(), null);
		EventEnvelope<OrderPlaced> placed = TestEvents.orderPlaced(order.orderId());

		TestEvents.publish(placed.causes("/payment-service", new PaymentDeclined(placed.data().customerId(),
				DeclineReason.UNKNOWN_CUSTOMER, placed.data().total(), placed.data().currency())));

		assertThat(TestEvents.awaitStatus(this.http, order.orderId(), OrderStatus.CANCELLED).cancellationReason())
			.isEqualTo("UNKNOWN_CUSTOMER");
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void anOrderThatHearsNothingIsCancelledAfterTheTimeoutInTheTraceOfItsPlacement(CapturedOutput output) {
		OrderView order = place(newCustomer(), null);
		String traceId = header(TestEvents.orderPlacedRecord(order.orderId()), "traceparent").split("-")[1];

		assertThat(TestEvents.awaitStatus(this.http, order.orderId(), OrderStatus.CANCELLED).cancellationReason())
			.isEqualTo("PAYMENT_TIMEOUT");
		// The saga's log line about it carries the order's trace id, though no span of
		// the trace is recorded.
		assertThat(output.getOut().lines().filter((line) -> line.contains("Order " + order.orderId() + " cancelled")))
			.singleElement(InstanceOfAssertFactories.STRING)
			.contains(traceId);
	}

	@Test
	void aRetryWithTheSameIdempotencyKeyReturnsTheSameOrderAndPublishesNothing() {
		String customer = newCustomer();
		String key = UUID.randomUUID().toString();
		EntityExchangeResult<OrderView> first = post(body(customer, "12.50"), key, HttpStatus.ACCEPTED);
		EntityExchangeResult<OrderView> retry = post(body(customer, "12.5"), key, HttpStatus.ACCEPTED);

		assertThat(retry.getResponseBody().orderId()).isEqualTo(first.getResponseBody().orderId());
		assertThat(first.getResponseHeaders().getFirst(OrderController.IDEMPOTENT_REPLAYED)).isEqualTo("false");
		assertThat(retry.getResponseHeaders().getFirst(OrderController.IDEMPOTENT_REPLAYED)).isEqualTo("true");
		assertThat(retry.getResponseHeaders().getLocation()).isEqualTo(first.getResponseHeaders().getLocation());
		String orderId = first.getResponseBody().orderId().toString();
		List<ConsumerRecord<String, byte[]>> records = TopicReader.readUntil("orders",
				(read) -> read.stream().anyMatch((r) -> r.key().equals(orderId)), WAIT);
		assertThat(records).filteredOn((record) -> record.key().equals(orderId)).hasSize(1);
	}

	@Test
	void theSameIdempotencyKeyWithAnotherOrderIsRefused() {
		String customer = newCustomer();
		String key = UUID.randomUUID().toString();
		OrderView first = post(body(customer, "12.50"), key, HttpStatus.ACCEPTED).getResponseBody();

		this.http.post()
			.uri("/orders")
			.contentType(MediaType.APPLICATION_JSON)
			.header("Idempotency-Key", key)
			.body(body(customer, "99.00"))
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.orderId")
			.isEqualTo(first.orderId().toString());
	}

	@Test
	void aPoisonRecordOnPaymentsGoesToTheDeadLetterTopicAndTheNextRecordIsProcessed() {
		OrderView order = place(newCustomer(), null);
		EventEnvelope<OrderPlaced> placed = TestEvents.orderPlaced(order.orderId());
		byte[] poison = ("{\"specversion\":\"1.0\",\"type\":\"PaymentAuthorized\",\"poison\":\"" + UUID.randomUUID()
				+ "\"}")
			.getBytes(StandardCharsets.UTF_8);
		TestKafkaBroker.send("payments", placed.key(), poison);
		TestEvents.publish(placed.causes("/payment-service", new PaymentDeclined(placed.data().customerId(),
				DeclineReason.INSUFFICIENT_FUNDS, placed.data().total(), placed.data().currency())));

		List<ConsumerRecord<String, byte[]>> deadLetters = TopicReader.readUntil("payments-dlt",
				(read) -> read.stream().anyMatch((r) -> Arrays.equals(r.value(), poison)), WAIT);
		ConsumerRecord<String, byte[]> deadLetter = deadLetters.stream()
			.filter((r) -> Arrays.equals(r.value(), poison))
			.findFirst()
			.orElseThrow();
		assertThat(header(deadLetter, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains("missing required attribute");
		assertThat(header(deadLetter, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo("payments");
		assertThat(TestEvents.awaitStatus(this.http, order.orderId(), OrderStatus.CANCELLED).cancellationReason())
			.isEqualTo("INSUFFICIENT_FUNDS");
	}

	@Test
	void aReadRightAfterTheWriteFindsTheOrder() {
		String customer = newCustomer();
		for (int i = 0; i < 20; i++) {
			OrderView order = place(customer, null);
			this.http.get().uri("/orders/{id}", order.orderId()).exchange().expectStatus().isOk();
		}
	}

	@Test
	void aReadRightAfterTheWriteNeverAnswers404WhileATransactionHoldsThePartitionBack() {
		// Another writer's transaction (the saga's, say) open on every partition of
		// orders:
		// until it ends, no reader of committed records gets past it, and so not to an
		// order placed after it began.
		try (KafkaProducer<String, byte[]> writer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafkaBroker.bootstrapServers(),
						ProducerConfig.TRANSACTIONAL_ID_CONFIG, TestKafkaBroker.uniqueName("open-transaction")),
				new StringSerializer(), new ByteArraySerializer())) {
			writer.initTransactions();
			writer.beginTransaction();
			for (int partition = 0; partition < Topic.ORDERS.partitions(); partition++) {
				writer.send(new ProducerRecord<>("orders", partition, "held-open", new byte[0]));
			}
			writer.flush();
			OrderView order = place(newCustomer(), null);

			this.http.get()
				.uri("/orders/{id}", order.orderId())
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
				.expectHeader()
				.valueEquals("Retry-After", "5");

			writer.abortTransaction();
			this.http.get().uri("/orders/{id}", order.orderId()).exchange().expectStatus().isOk();
		}
	}

	@Test
	void refusesAChunkedBodyOver64KiBWithAProblem() throws Exception {
		// No Content-Length: the limit must count the bytes as they come.
		byte[] huge = ("{\"customerId\":\"alice\",\"padding\":\"" + "x".repeat(70 * 1024) + "\"}")
			.getBytes(StandardCharsets.UTF_8);
		try (HttpClient client = HttpClient.newHttpClient()) {
			HttpResponse<String> response = client
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/orders"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge)))
					.build(), HttpResponse.BodyHandlers.ofString());

			assertThat(response.statusCode()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE.value());
			assertThat(response.headers().firstValue("Content-Type"))
				.hasValue(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		}
	}

	@Test
	void listsACustomersOrdersNewestFirst() {
		String customer = newCustomer();
		OrderView older = place(customer, null);
		OrderView newer = place(customer, null);

		OrderPage page = this.http.get()
			.uri("/orders?customerId={customer}", customer)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(OrderPage.class)
			.returnResult()
			.getResponseBody();

		assertThat(page.content()).extracting(OrderView::orderId).containsExactly(newer.orderId(), older.orderId());
	}

	@Test
	void answers404ProblemForAnUnknownOrder() {
		this.http.get()
			.uri("/orders/{id}", UUID.randomUUID())
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void countsOrdersAndTheEntriesOfTheStateStoresForPrometheus() {
		place(newCustomer(), null);

		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(Actuator.prometheus(this.managementPort)).contains("orders_placed_total")
				.containsPattern("ordersaga_streams_state_entries\\{[^}]*store=\"order-sagas\"[^}]*} [1-9]")
				.contains("store=\"order-deadlines\"", "store=\"parked-payment-outcomes\""));
	}

	private OrderView place(String customer, String idempotencyKey) {
		return post(body(customer, "12.50"), idempotencyKey, HttpStatus.ACCEPTED).getResponseBody();
	}

	private EntityExchangeResult<OrderView> post(String body, String idempotencyKey, HttpStatus expected) {
		RestTestClient.RequestBodySpec request = this.http.post()
			.uri("/orders")
			.contentType(MediaType.APPLICATION_JSON);
		if (idempotencyKey != null) {
			request.header("Idempotency-Key", idempotencyKey);
		}
		return request.body(body)
			.exchange()
			.expectStatus()
			.isEqualTo(expected)
			.expectBody(OrderView.class)
			.returnResult();
	}

	private static String header(ConsumerRecord<?, ?> record, String name) {
		return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
	}

	private static String newCustomer() {
		return TestKafkaBroker.uniqueName("customer");
	}

	private static String body(String customer, String unitPrice) {
		return """
				{"customerId":"%s","currency":"EUR","items":[{"sku":"BOOK-1","quantity":2,"unitPrice":%s}]}"""
			.formatted(customer, unitPrice);
	}

}
