package io.ordersaga.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a user of the suite does over HTTP, with the JSON answers as trees. With several
 * instances of order-service, each request to it goes to the next instance in turn, as
 * behind a load balancer: whichever instance a request reaches must answer it. In secure
 * mode a customer places their orders with their own token, and the operator's token
 * credits accounts and reads, as support would.
 */
final class SuiteClient {

	static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(90);

	/** The issuer's operator in secure mode. */
	static final String OPERATOR = "operator";

	private static final JsonMapper json = JsonMapper.builder()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final List<String> orderServices;

	private final AtomicInteger nextOrderService = new AtomicInteger();

	private final String payments;

	private final String notifications;

	private final @Nullable IssuerTokens tokens;

	SuiteClient(List<String> orderServices, String payments, String notifications) {
		this(orderServices, payments, notifications, null);
	}

	SuiteClient(List<String> orderServices, String payments, String notifications, @Nullable IssuerTokens tokens) {
		this.orderServices = List.copyOf(orderServices);
		this.payments = payments;
		this.notifications = notifications;
		this.tokens = tokens;
	}

	SuiteClient(RunScript run) {
		this(run.orderServices(), run.paymentService(), run.notificationService());
	}

	/** A client of a suite in secure mode, with its issuer's tokens. */
	static SuiteClient secured(RunScript run) {
		return new SuiteClient(run.orderServices(), run.paymentService(), run.notificationService(), run.tokens());
	}

	/** A request as a user: with their token in secure mode, as is in the open mode. */
	HttpRequest.Builder as(String user, String url) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
		IssuerTokens tokens = this.tokens;
		return (tokens != null) ? request.header("Authorization", tokens.bearer(user)) : request;
	}

	/** A request as the operator, who credits and reads everyone's data. */
	private HttpRequest.Builder asOperator(String url) {
		return as(OPERATOR, url);
	}

	/** The next instance of order-service in turn. */
	private String orders() {
		return this.orderServices
			.get(Math.floorMod(this.nextOrderService.getAndIncrement(), this.orderServices.size()));
	}

	/**
	 * Credits an account, creating it, and waits until the balance shows the credit.
	 * @param customer the customer
	 * @param amount the amount in EUR
	 */
	void credit(String customer, String amount) {
		HttpResponse<String> response = send(asOperator(this.payments + "/accounts/" + customer + "/credits")
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"amount\":" + amount + "}"))
			.build());
		assertThat(response.statusCode()).as(response.body()).isIn(200, 202);
		await().atMost(OUTCOME_TIMEOUT)
			.until(() -> account(customer).map((account) -> balance(account).compareTo(new BigDecimal(amount)) >= 0)
				.orElse(false));
	}

	/**
	 * Places an order of one line.
	 * @param customer the customer
	 * @param currency the currency
	 * @param price the line's unit price
	 * @param idempotencyKey the key that makes a retry safe
	 * @return the answer
	 * @throws IOException if order-service could not be reached
	 */
	HttpResponse<String> place(String customer, String currency, String price, String idempotencyKey)
			throws IOException {
		try {
			return this.http.send(as(customer, orders() + "/orders").header("Content-Type", "application/json")
				.header("Idempotency-Key", idempotencyKey)
				.timeout(Duration.ofSeconds(20))
				.POST(HttpRequest.BodyPublishers.ofString("""
						{"customerId":"%s","currency":"%s","items":[{"sku":"E2E-1","quantity":1,"unitPrice":%s}]}"""
					.formatted(customer, currency, price)))
				.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Places an order that must be accepted.
	 * @return the order's id
	 */
	UUID placeAccepted(String customer, String currency, String price) {
		try {
			HttpResponse<String> response = place(customer, currency, price, UUID.randomUUID().toString());
			assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
			return UUID.fromString(json.readTree(response.body()).path("orderId").asString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Waits until an order has left {@code PENDING_PAYMENT} and returns it. */
	JsonNode awaitFinal(UUID orderId) {
		return await().atMost(OUTCOME_TIMEOUT)
			.until(() -> get(orders() + "/orders/" + orderId).orElseThrow(),
					(order) -> !order.path("status").asString().equals("PENDING_PAYMENT"));
	}

	/**
	 * Waits until an order has ended as expected, and its customer has been told.
	 * @param customer the order's customer
	 * @param orderId the order
	 * @param status its final status
	 * @param reason why it was cancelled, or {@code null} for any reason
	 * @param subject the notification's subject
	 * @param text a part of the notification's text
	 */
	void awaitOutcome(String customer, UUID orderId, String status, @Nullable String reason, String subject,
			String text) {
		JsonNode order = awaitFinal(orderId);
		assertThat(order.path("status").asString()).isEqualTo(status);
		if (reason != null) {
			assertThat(order.path("cancellationReason").asString()).isEqualTo(reason);
		}
		JsonNode history = order.path("history");
		UUID outcomeEventId = UUID.fromString(history.get(history.size() - 1).path("eventId").asString());
		JsonNode notification = awaitNotification(customer, outcomeEventId);
		assertThat(notification.path("orderId").asString()).isEqualTo(orderId.toString());
		assertThat(notification.path("subject").asString()).isEqualTo(subject);
		assertThat(notification.path("text").asString()).contains(text);
	}

	/** Waits until the customer's feed holds a notification about an event. */
	JsonNode awaitNotification(String customer, UUID sourceEventId) {
		return await().atMost(OUTCOME_TIMEOUT)
			.until(() -> notifications(customer).valueStream()
				.filter((
						notification) -> notification.path("sourceEventId").asString().equals(sourceEventId.toString()))
				.findFirst(), Optional::isPresent)
			.orElseThrow();
	}

	JsonNode notifications(String customer) {
		return get(this.notifications + "/notifications?customerId=" + customer + "&limit=500").orElseThrow();
	}

	/** The first page of a customer's orders, newest first, up to 100. */
	JsonNode ordersOf(String customer) {
		return get(orders() + "/orders?customerId=" + customer + "&size=100").orElseThrow();
	}

	Optional<JsonNode> account(String customer) {
		return get(this.payments + "/accounts/" + customer);
	}

	JsonNode order(UUID orderId) {
		return get(orders() + "/orders/" + orderId).orElseThrow();
	}

	static BigDecimal balance(JsonNode account) {
		return amount(account.path("balance"));
	}

	/** An amount, whether written as a JSON number or as a string. */
	static BigDecimal amount(JsonNode value) {
		return value.isString() ? new BigDecimal(value.asString()) : value.decimalValue();
	}

	static JsonNode parse(String body) {
		return json.readTree(body);
	}

	/** A GET that answers 200 with JSON, or 404. */
	private Optional<JsonNode> get(String url) {
		HttpResponse<String> response = send(asOperator(url).build());
		if (response.statusCode() == 404) {
			return Optional.empty();
		}
		assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
		return Optional.of(json.readTree(response.body()));
	}

	HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
