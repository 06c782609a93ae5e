package io.ordersaga.runner;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.ordersaga.events.Topic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The suite end to end in secure mode, started as a user starts it
 * ({@code ./run --secure}: Kafka with TLS, SASL/SCRAM and ACLs, the issuer, and the
 * services as resource servers), and used with real tokens from that issuer: the saga's
 * outcomes, a late payment's refund and the dead letters work with every service on its
 * own principal, and the REST rules hold. The issuer's customers are alice, bob and carol
 * only, so the tests share them and check balances by difference.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecureEndToEndIT {

	/** Kept after the run (./run --clean empties it first), so a failure can be read. */
	private static final Path WORK = Path.of("target", "secure-end-to-end").toAbsolutePath();

	/** Short, so that a test can wait for a saga to time out. */
	private static final Duration PAYMENT_TIMEOUT = Duration.ofSeconds(10);

	private RunScript run;

	private SuiteClient client;

	@BeforeAll
	void startTheSuite() {
		this.run = RunScript.start(
				Path.of("..").toAbsolutePath().normalize(), WORK.resolve("run-data"), Map.of("PAYMENT_TIMEOUT",
						PAYMENT_TIMEOUT.toSeconds() + "s", "PAYMENT_SILENCE", PAYMENT_TIMEOUT.toSeconds() + "s"),
				"--secure");
		this.client = SuiteClient.secured(this.run);
	}

	@AfterAll
	void stopTheSuite() {
		if (this.run != null) {
			this.run.close();
		}
	}

	@Test
	@Order(1)
	void customersOrderWithTheirOwnTokensAndEveryOutcomeHasItsNotification() {
		BigDecimal alices = balance("alice");
		UUID confirmed = this.client.placeAccepted("alice", "EUR", "12.50");
		this.client.awaitOutcome("alice", confirmed, "CONFIRMED", null, "Your order is confirmed", "12.50 EUR");
		UUID declined = this.client.placeAccepted("bob", "EUR", "400.00");
		this.client.awaitOutcome("bob", declined, "CANCELLED", "INSUFFICIENT_FUNDS", "Your order was cancelled",
				"did not cover 400.00 EUR");
		assertThat(balance("alice")).isEqualByComparingTo(alices.subtract(new BigDecimal("12.50")));
	}

	@Test
	@Order(2)
	void aPaymentThatComesTooLateIsRefunded() throws Exception {
		this.client.credit("carol", "25.00");
		BigDecimal carols = balance("carol");
		ProcessHandle payments = this.run.serviceProcess("payment-service");
		Signals.send(payments, "STOP");
		UUID orderId;
		try {
			orderId = this.client.placeAccepted("carol", "EUR", "25.00");
			this.client.awaitOutcome("carol", orderId, "CANCELLED", "PAYMENT_TIMEOUT", "Your order was cancelled",
					"did not receive your payment in time");
		}
		finally {
			Signals.send(payments, "CONT");
		}
		// payment-service, back, charges the order it had not seen and then refunds it.
		await().atMost(SuiteClient.OUTCOME_TIMEOUT)
			.until(() -> this.client.notifications("carol")
				.valueStream()
				.anyMatch((notification) -> notification.path("orderId").asString().equals(orderId.toString())
						&& notification.path("subject").asString().equals("Your payment was refunded")));
		await().atMost(SuiteClient.OUTCOME_TIMEOUT)
			.untilAsserted(() -> assertThat(balance("carol")).isEqualByComparingTo(carols));
	}

	/**
	 * Poison on every partition reaches each service's dead-letter topics, which its
	 * principal may write, and the saga goes on.
	 */
	@Test
	@Order(3)
	void poisonEndsInTheDeadLetterTopicsUnderTheServicesPrincipals() {
		PoisonRecords poison = new PoisonRecords(this.run.kafkaClientProperties());
		List<PoisonRecords.Injected> injected = poison.injectEverywhere();

		for (PoisonRecords.Injected record : injected) {
			if (record.deadLetterTopic() == null) {
				continue;
			}
			int consumers = Topic.ORDERS.topicName().equals(record.topic()) ? 3
					: Topic.PAYMENTS.topicName().equals(record.topic()) ? 2 : 1;
			List<ConsumerRecord<String, byte[]>> dead = await().atMost(SuiteClient.OUTCOME_TIMEOUT)
				.until(() -> poison.deadLettersOf(record), (found) -> found.size() >= consumers);
			assertThat(dead).as("%s", record).hasSize(consumers);
		}
		UUID after = this.client.placeAccepted("alice", "EUR", "1.00");
		this.client.awaitOutcome("alice", after, "CONFIRMED", null, "Your order is confirmed", "1.00 EUR");
	}

	@Test
	@Order(4)
	void aCustomerSeesAndSpendsOnlyTheirOwn() {
		UUID alicesOrder = this.client.placeAccepted("alice", "EUR", "2.00");
		String orderService = this.run.orderService();
		String paymentService = this.run.paymentService();

		assertThat(status(this.client.as("bob", orderService + "/orders/" + alicesOrder).GET())).isEqualTo(404);
		assertThat(status(this.client.as("alice", orderService + "/orders/" + alicesOrder).GET())).isEqualTo(200);
		assertThat(status(this.client.as("bob", orderService + "/orders?customerId=alice").GET())).isEqualTo(403);
		assertThat(status(this.client.as("bob", paymentService + "/accounts/alice").GET())).isEqualTo(403);
		assertThat(
				status(this.client.as("bob", this.run.notificationService() + "/notifications?customerId=alice").GET()))
			.isEqualTo(403);
		HttpRequest.BodyPublisher ordersForAlice = HttpRequest.BodyPublishers.ofString("""
				{"customerId":"alice","currency":"EUR","items":[{"sku":"E2E-1","quantity":1,"unitPrice":1.00}]}""");
		assertThat(status(this.client.as("bob", orderService + "/orders")
			.header("Content-Type", "application/json")
			.POST(ordersForAlice))).isEqualTo(403);
		HttpRequest.BodyPublisher credit = HttpRequest.BodyPublishers.ofString("{\"amount\":1000.00}");
		assertThat(status(this.client.as("bob", paymentService + "/accounts/bob/credits")
			.header("Content-Type", "application/json")
			.POST(credit))).isEqualTo(403);
		assertThat(status(HttpRequest.newBuilder(java.net.URI.create(paymentService + "/accounts/bob")).GET()))
			.isEqualTo(401);
		String metrics = this.run.managementUrl("order-service") + "/actuator/prometheus";
		assertThat(status(this.client.as("alice", metrics).GET())).isEqualTo(403);
		assertThat(status(this.client.as(SuiteClient.OPERATOR, metrics).GET())).isEqualTo(200);
	}

	private int status(HttpRequest.Builder request) {
		HttpResponse<String> response = this.client.send(request.build());
		if (response.statusCode() >= 400) {
			assertThat(response.headers().firstValue("Content-Type")).as(response.body())
				.hasValue("application/problem+json");
		}
		return response.statusCode();
	}

	private BigDecimal balance(String customer) {
		Optional<JsonNode> account = await().atMost(SuiteClient.OUTCOME_TIMEOUT)
			.until(() -> this.client.account(customer), Optional::isPresent);
		return SuiteClient.balance(account.orElseThrow());
	}

}
