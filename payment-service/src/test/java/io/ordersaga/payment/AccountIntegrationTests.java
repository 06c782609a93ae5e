package io.ordersaga.payment;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.ordersaga.events.CancellationReason;
import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.LineItem;
import io.ordersaga.events.OrderCancelled;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.SagaEvent;
import io.ordersaga.events.Topic;
import io.ordersaga.events.kafka.EventCodec;
import io.ordersaga.kafka.test.TestKafkaBroker;
import io.ordersaga.kafka.test.TopicReader;
import io.ordersaga.payment.account.Account;
import io.ordersaga.payment.account.AccountStates;
import io.ordersaga.payment.account.PaymentTopics;
import io.ordersaga.kafka.test.Actuator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Accounts and charges through the REST API and a real broker, with order-service played
 * by the test.
 */
@PaymentServiceIntegrationTest
class AccountIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final Currency EUR = Currency.getInstance("EUR");

	@Autowired
	private RestTestClient http;

	/** Actuator's own port: health with its details, metrics. */
	@LocalManagementPort
	private int managementPort;

	@Test
	void opensTheDemoAccounts() {
		await().atMost(WAIT).untilAsserted(() -> {
			assertThat(account("bob").balance()).isEqualByComparingTo("100.00");
			assertThat(account("carol").balance()).isEqualByComparingTo("0.00");
			assertThat(account("alice").currency()).isEqualTo(EUR);
		});
	}

	@Test
	void aCreditOpensAnAccountInEuros() {
		String customer = newCustomer();
		Account account = credit(customer, "{\"amount\":50.00}", null, HttpStatus.OK);

		assertThat(account.balance()).isEqualByComparingTo("50.00");
		assertThat(account.currency()).isEqualTo(EUR);
		assertThat(account(customer).movements()).hasSize(1);
	}

	@Test
	void publishesAnAccountsBalanceAndMovementsOnItsCustomersPartition() {
		// One whose movements' own keys would go to other partitions (payment-accounts
		// has as many as orders).
		String customer = Stream.generate(AccountIntegrationTests::newCustomer)
			.filter((id) -> partitionOf(id + "/1") != partitionOf(id) && partitionOf(id + "/2") != partitionOf(id))
			.findFirst()
			.orElseThrow();
		credit(customer, "{\"amount\":100.00}", null, HttpStatus.OK);
		EventEnvelope<OrderPlaced> order = order(customer, "30.00");
		publish(order);
		assertThat(paymentsOf(order.orderId(), 1)).containsExactly("PaymentAuthorized");

		int partition = partitionOf(customer);
		List<ConsumerRecord<String, byte[]>> published = TopicReader.readUntil(PaymentTopics.ACCOUNTS,
				(read) -> read.stream().filter((r) -> AccountStates.customerOf(r.key()).equals(customer)).count() == 4,
				WAIT);
		assertThat(published).filteredOn((r) -> AccountStates.customerOf(r.key()).equals(customer))
			.extracting(ConsumerRecord::key, ConsumerRecord::partition)
			.containsExactly(tuple(customer + "/1", partition), tuple(customer, partition),
					tuple(customer + "/2", partition), tuple(customer, partition));
	}

	@Test
	void aRetriedCreditWithTheSameKeyCreditsOnce() {
		String customer = newCustomer();
		credit(customer, "{\"amount\":50.00}", "key-1", HttpStatus.OK);
		this.http.post()
			.uri("/accounts/{id}/credits", customer)
			.contentType(MediaType.APPLICATION_JSON)
			.header("Idempotency-Key", "key-1")
			.body("{\"amount\":50.00}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("Idempotent-Replayed", "true");

		assertThat(account(customer).balance()).isEqualByComparingTo("50.00");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "{\"amount\":0}|amount", "{\"amount\":-1}|amount", "{\"amount\":12.345}|amount",
					"{\"amount\":1000000}|amount", "{\"amount\":\"lots\"}|amount", "{}|amount",
					"{\"amount\":5,\"currency\":\"euro\"}|currency", "{\"amount\":1E+10000000}|amount",
					"{\"amount\":12.50,\"currency\":\"JPY\"}|amount" })
	void rejectsAnInvalidCreditNamingTheField(String body, String field) {
		this.http.post()
			.uri("/accounts/{id}/credits", newCustomer())
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.errors[0].field")
			.isEqualTo(field);
	}

	@Test
	void rejectsAnInvalidCustomerId() {
		this.http.get().uri("/accounts/{id}", "a b").exchange().expectStatus().isBadRequest();
	}

	@Test
	void chargesAnOrderAndRefundsItsCancellationOnce() {
		String customer = newCustomer();
		credit(customer, "{\"amount\":100.00}", null, HttpStatus.OK);
		EventEnvelope<OrderPlaced> order = order(customer, "30.00");
		publish(order);
		await().atMost(WAIT).until(() -> account(customer).balance().compareTo(new BigDecimal("70.00")) == 0);

		EventEnvelope<OrderCancelled> cancelled = order.causes("/order-service",
				new OrderCancelled(customer, CancellationReason.PAYMENT_TIMEOUT, new BigDecimal("30.00"), EUR));
		publish(cancelled);
		publish(cancelled);
		publish(order);
		// Applied after the duplicates: the same partition of orders, the same customer.
		EventEnvelope<OrderPlaced> marker = orderOnThePartitionOf(order, customer, "1.00");
		publish(marker);

		assertThat(paymentsBefore(marker, order)).containsExactly("PaymentAuthorized", "PaymentRefunded");
		assertThat(account(customer).balance()).isEqualByComparingTo("99.00");
	}

	@Test
	void aSecondOrderPlacedNamingAnotherCustomerChargesNobodyElse() {
		String first = newCustomer();
		String other = customerOnAnotherPartitionThan(first);
		credit(first, "{\"amount\":100.00}", null, HttpStatus.OK);
		credit(other, "{\"amount\":100.00}", null, HttpStatus.OK);
		EventEnvelope<OrderPlaced> order = order(first, "30.00");
		publish(order);
		// Two requests racing with one idempotency key can each publish an OrderPlaced
		// for
		// the order; the second names another customer, whose account task has never seen
		// the order.
		publish(EventEnvelope.first("/order-service", order.orderId(),
				OrderPlaced.of(other, EUR, List.of(new LineItem("SKU-2", 1, new BigDecimal("40.00"))))));
		EventEnvelope<OrderPlaced> marker = orderOnThePartitionOf(order, other, "1.00");
		publish(marker);

		assertThat(paymentsBefore(marker, order)).containsExactly("PaymentAuthorized");
		assertThat(account(first).balance()).isEqualByComparingTo("70.00");
		assertThat(account(other).balance()).isEqualByComparingTo("99.00");
	}

	@Test
	void aPoisonRecordOnOrdersGoesToTheDeadLetterTopicAndTheNextRecordIsProcessed() {
		String customer = newCustomer();
		byte[] poison = ("{\"type\":\"OrderPlaced\",\"poison\":\"" + UUID.randomUUID() + "\"}")
			.getBytes(StandardCharsets.UTF_8);
		TestKafkaBroker.send("orders", UUID.randomUUID().toString(), poison);
		EventEnvelope<OrderPlaced> order = order(customer, "30.00");
		publish(order);

		ConsumerRecord<String, byte[]> deadLetter = TopicReader
			.readUntil("orders-dlt", (read) -> read.stream().anyMatch((r) -> Arrays.equals(r.value(), poison)), WAIT)
			.stream()
			.filter((r) -> Arrays.equals(r.value(), poison)
					&& "payment-service".equals(header(r, KafkaHeaders.DLT_ORIGINAL_CONSUMER_GROUP)))
			.findFirst()
			.orElseThrow();
		assertThat(header(deadLetter, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains("missing required attribute");
		assertThat(paymentsOf(order.orderId(), 1)).containsExactly("PaymentDeclined");
	}

	@Test
	void reportsItselfKafkaAndItsStreamsAsHealthy() {
		// Kafka Streams starts once the cluster has told its id: healthy a moment after.
		await().atMost(Duration.ofMinutes(1))
			.untilAsserted(() -> management().get()
				.uri("/actuator/health")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.components.kafka.status")
				.isEqualTo("UP")
				.jsonPath("$.components.kafkaStreams.status")
				.isEqualTo("UP"));
	}

	@Test
	void countsChargesForPrometheus() {
		management().get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((metrics) -> assertThat(metrics).contains("payments_amount"));
	}

	private RestTestClient management() {
		return Actuator.client(this.managementPort);
	}

	private Account credit(String customer, String body, String key, HttpStatus expected) {
		RestTestClient.RequestBodySpec request = this.http.post()
			.uri("/accounts/{id}/credits", customer)
			.contentType(MediaType.APPLICATION_JSON);
		if (key != null) {
			request.header("Idempotency-Key", key);
		}
		return request.body(body)
			.exchange()
			.expectStatus()
			.isEqualTo(expected)
			.expectBody(Account.class)
			.returnResult()
			.getResponseBody();
	}

	private Account account(String customer) {
		return this.http.get()
			.uri("/accounts/{id}", customer)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Account.class)
			.returnResult()
			.getResponseBody();
	}

	static List<String> paymentsOf(UUID orderId, int count) {
		String key = orderId.toString();
		return TopicReader
			.readUntil("payments", (read) -> read.stream().filter((r) -> r.key().equals(key)).count() >= count, WAIT)
			.stream()
			.filter((r) -> r.key().equals(key))
			.map((r) -> EventCodec.instance().decode("payments", r.value()).type().token())
			.toList();
	}

	/**
	 * The payment events of several orders, read once every one of them has one: one
	 * reader for all, where a reader per order took most of a test's time.
	 */
	static List<String> paymentsOf(List<EventEnvelope<OrderPlaced>> orders) {
		Set<String> keys = orders.stream().map(EventEnvelope::key).collect(Collectors.toSet());
		return TopicReader.readUntil("payments",
				(read) -> read.stream().map(ConsumerRecord::key).collect(Collectors.toSet()).containsAll(keys), WAIT)
			.stream()
			.filter((r) -> keys.contains(r.key()))
			.map((r) -> EventCodec.instance().decode("payments", r.value()).type().token())
			.toList();
	}

	static EventEnvelope<OrderPlaced> order(String customer, String total) {
		return EventEnvelope.first("/order-service", UUID.randomUUID(),
				OrderPlaced.of(customer, EUR, List.of(new LineItem("SKU-1", 1, new BigDecimal(total)))));
	}

	/**
	 * The payment events of an order written before the (authorized) payment of a later
	 * order on its partition: all of them, once that one is there.
	 */
	static List<String> paymentsBefore(EventEnvelope<OrderPlaced> later, EventEnvelope<?> order) {
		List<ConsumerRecord<String, byte[]>> read = TopicReader.readUntil("payments",
				(records) -> records.stream().anyMatch((r) -> r.key().equals(later.key())), WAIT);
		assertThat(read).filteredOn((r) -> r.key().equals(later.key())).hasSize(1);
		return read.stream()
			.filter((r) -> r.key().equals(order.key()))
			.map((r) -> EventCodec.instance().decode("payments", r.value()).type().token())
			.toList();
	}

	/**
	 * An order of a customer on the same partition of {@code orders} as another order, so
	 * that it is read after everything published for that order before it, and its
	 * payment is written after theirs, on the same partition of {@code payments}.
	 */
	static EventEnvelope<OrderPlaced> orderOnThePartitionOf(EventEnvelope<?> other, String customer, String total) {
		while (true) {
			EventEnvelope<OrderPlaced> order = order(customer, total);
			if (partitionOf(order.key()) == partitionOf(other.key())) {
				return order;
			}
		}
	}

	/** A new customer whose account is kept by another task than the given one's. */
	static String customerOnAnotherPartitionThan(String customer) {
		while (true) {
			String other = newCustomer();
			if (partitionOf(other) != partitionOf(customer)) {
				return other;
			}
		}
	}

	/** The partition the producer's default partitioner picks for a key. */
	private static int partitionOf(String key) {
		return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % Topic.ORDERS.partitions();
	}

	static void publish(EventEnvelope<? extends SagaEvent> event) {
		TestKafkaBroker.send(event.topicName(), event.key(), EventCodec.instance().encode(event));
	}

	private static String header(ConsumerRecord<?, ?> record, String name) {
		return (record.headers().lastHeader(name) != null)
				? new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8) : null;
	}

	static String newCustomer() {
		return TestKafkaBroker.uniqueName("customer");
	}

}
