package io.ordersaga.order;

import io.ordersaga.order.core.OrderStatus;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ordersaga.events.LineItem;
import io.ordersaga.order.view.OrderPage;
import io.ordersaga.order.view.OrderProjection;
import io.ordersaga.order.view.OrderView;
import io.ordersaga.support.web.BrokerUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;

/**
 * The HTTP edge of order-service: every validation rule, and the problem-detail shape of
 * every error.
 */
@WebMvcTest(OrderController.class)
@EnableConfigurationProperties(OrderProperties.class)
@Import(SimpleMeterRegistry.class)
class OrderControllerTests {

	private static final String VALID = """
			{"customerId":"alice","currency":"EUR","items":[{"sku":"BOOK-1","quantity":2,"unitPrice":12.50}]}""";

	@Autowired
	private MockMvcTester mvc;

	@Autowired
	private OrderProperties properties;

	@MockitoBean
	private OrderPlacement placement;

	@MockitoBean
	private OrderProjection projection;

	@Test
	void acceptsAValidOrderWith202AndItsLocation() {
		OrderView order = order();
		given(this.placement.place(any(), isNull())).willReturn(new OrderPlacement.Placement(order, false));

		assertThat(post(VALID)).hasStatus(HttpStatus.ACCEPTED)
			.hasHeader("Location", "/orders/" + order.orderId())
			.hasHeader(OrderController.IDEMPOTENT_REPLAYED, "false")
			.bodyJson()
			.hasPathSatisfying("$.orderId", (id) -> id.assertThat().isEqualTo(order.orderId().toString()))
			.hasPathSatisfying("$.status", (status) -> status.assertThat().isEqualTo("PENDING_PAYMENT"))
			.hasPathSatisfying("$.total", (total) -> total.assertThat().isEqualTo(25.00))
			.hasPathSatisfying("$.currency", (currency) -> currency.assertThat().isEqualTo("EUR"));
	}

	static Stream<Arguments> ordersAtTheLimits() {
		return Stream.of(
				Arguments.of("64-character customerId", order("\"" + "a".repeat(64) + "\"", "\"EUR\"", item())),
				Arguments.of("customerId of every allowed kind of character",
						order("\"Alice.Smith_2-x\"", "\"EUR\"", item())),
				Arguments.of("100 items",
						order("\"alice\"", "\"EUR\"", String.join(",", Collections.nCopies(100, item())))),
				Arguments.of("quantity 1000", order("\"alice\"", "\"EUR\"", item("\"BOOK-1\"", "1000", "12.50"))),
				Arguments.of("the highest unit price",
						order("\"alice\"", "\"EUR\"", item("\"BOOK-1\"", "1", "999999.99"))),
				Arguments.of("the lowest unit price", order("\"alice\"", "\"EUR\"", item("\"BOOK-1\"", "1", "0.01"))),
				Arguments.of("another ISO 4217 currency", order("\"alice\"", "\"USD\"", item())),
				Arguments.of("a currency without minor units",
						order("\"alice\"", "\"JPY\"", item("\"BOOK-1\"", "1", "1200"))),
				Arguments.of("zeros beyond the currency's minor units",
						order("\"alice\"", "\"JPY\"", item("\"BOOK-1\"", "1", "1200.00"))));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("ordersAtTheLimits")
	void acceptsAnOrderAtTheLimitsOfItsRules(String description, String body) {
		given(this.placement.place(any(), isNull())).willReturn(new OrderPlacement.Placement(order(), false));

		assertThat(post(body)).hasStatus(HttpStatus.ACCEPTED);
	}

	@Test
	void refusesAnOrderWith503AndRetryAfterBeforeReadingItWhileTooManyArePending() {
		given(this.projection.pendingOrders()).willReturn(this.properties.minPendingOrders());

		MvcTestResult refused = this.mvc.post()
			.uri("/orders")
			.contentType(MediaType.APPLICATION_JSON)
			.header("Idempotency-Key", "key-while-busy")
			// Not even valid: the body is never read.
			.content("{")
			.exchange();

		assertThat(refused).hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
			.hasHeader("Retry-After", "1")
			.bodyJson()
			.hasPathSatisfying("$.title", (title) -> title.assertThat().isEqualTo("Too many orders pending"));
		isProblemDetail(refused);
		then(this.placement).shouldHaveNoInteractions();
	}

	@Test
	void takesOrdersAgainOnceFewerArePendingAndKeepsAnsweringReads() {
		given(this.projection.pendingOrders()).willReturn(this.properties.minPendingOrders() - 1);
		given(this.placement.place(any(), isNull())).willReturn(new OrderPlacement.Placement(order(), false));

		assertThat(post(VALID)).hasStatus(HttpStatus.ACCEPTED);

		given(this.projection.pendingOrders()).willReturn(5000);
		given(this.projection.ordersOf(eq("alice"), isNull(), eq(0), eq(20), any()))
			.willReturn(OrderPage.of(List.of(), 0, 20, 0));
		assertThat(this.mvc.get().uri("/orders?customerId=alice")).hasStatus(HttpStatus.OK);
	}

	@Test
	void passesTheIdempotencyKeyOnAndSaysWhenAResponseIsAReplay() {
		given(this.placement.place(any(), eq("key-1"))).willReturn(new OrderPlacement.Placement(order(), true));

		assertThat(this.mvc.post()
			.uri("/orders")
			.contentType(MediaType.APPLICATION_JSON)
			.header("Idempotency-Key", "key-1")
			.content(VALID)).hasStatus(HttpStatus.ACCEPTED).hasHeader(OrderController.IDEMPOTENT_REPLAYED, "true");
	}

	static Stream<Arguments> invalidOrders() {
		return Stream.of(
				Arguments.of("missing customerId", "{\"currency\":\"EUR\",\"items\":[" + item() + "]}", "customerId"),
				Arguments.of("empty customerId", order("\"\"", "\"EUR\"", item()), "customerId"),
				Arguments.of("65-character customerId", order("\"" + "a".repeat(65) + "\"", "\"EUR\"", item()),
						"customerId"),
				Arguments.of("customerId with a space", order("\"al ice\"", "\"EUR\"", item()), "customerId"),
				Arguments.of("customerId with a symbol", order("\"alice!\"", "\"EUR\"", item()), "customerId"),
				Arguments.of("customerId that is a number", order("42", "\"EUR\"", item()), "customerId"),
				Arguments.of("missing currency", "{\"customerId\":\"alice\",\"items\":[" + item() + "]}", "currency"),
				Arguments.of("lower-case currency", order("\"alice\"", "\"eur\"", item()), "currency"),
				Arguments.of("four-letter currency", order("\"alice\"", "\"EURO\"", item()), "currency"),
				Arguments.of("unknown currency", order("\"alice\"", "\"QQQ\"", item()), "currency"),
				Arguments.of("missing items", "{\"customerId\":\"alice\",\"currency\":\"EUR\"}", "items"),
				Arguments.of("no items", "{\"customerId\":\"alice\",\"currency\":\"EUR\",\"items\":[]}", "items"),
				Arguments.of("101 items",
						order("\"alice\"", "\"EUR\"", String.join(",", Collections.nCopies(101, item()))), "items"),
				Arguments.of("items that is not an array",
						"{\"customerId\":\"alice\",\"currency\":\"EUR\",\"items\":{}}", "items"),
				Arguments.of("a null item", order("\"alice\"", "\"EUR\"", "null"), "items[0]"),
				Arguments.of("blank sku", order("\"alice\"", "\"EUR\"", item("\" \"", "1", "1.00")), "items[0].sku"),
				Arguments.of("65-character sku",
						order("\"alice\"", "\"EUR\"", item("\"" + "S".repeat(65) + "\"", "1", "1.00")), "items[0].sku"),
				Arguments.of("quantity 0", order("\"alice\"", "\"EUR\"", item("\"A\"", "0", "1.00")),
						"items[0].quantity"),
				Arguments.of("quantity 1001", order("\"alice\"", "\"EUR\"", item("\"A\"", "1001", "1.00")),
						"items[0].quantity"),
				Arguments.of("negative quantity", order("\"alice\"", "\"EUR\"", item("\"A\"", "-3", "1.00")),
						"items[0].quantity"),
				Arguments.of("fractional quantity", order("\"alice\"", "\"EUR\"", item("\"A\"", "2.5", "1.00")),
						"items[0].quantity"),
				Arguments.of("quantity as a string", order("\"alice\"", "\"EUR\"", item("\"A\"", "\"2\"", "1.00")),
						"items[0].quantity"),
				Arguments.of("missing quantity", order("\"alice\"", "\"EUR\"", "{\"sku\":\"A\",\"unitPrice\":1.00}"),
						"items[0].quantity"),
				Arguments.of("price 0", order("\"alice\"", "\"EUR\"", item("\"A\"", "1", "0")), "items[0].unitPrice"),
				Arguments.of("negative price", order("\"alice\"", "\"EUR\"", item("\"A\"", "1", "-1")),
						"items[0].unitPrice"),
				Arguments.of("price with three decimals", order("\"alice\"", "\"EUR\"", item("\"A\"", "1", "12.345")),
						"items[0].unitPrice"),
				Arguments.of("price of a million", order("\"alice\"", "\"EUR\"", item("\"A\"", "1", "1000000")),
						"items[0].unitPrice"),
				Arguments.of("price with an absurd exponent",
						order("\"alice\"", "\"EUR\"", item("\"A\"", "1", "1E+10000000")), "items[0].unitPrice"),
				Arguments.of("price in cents of a currency without minor units",
						order("\"alice\"", "\"JPY\"", item("\"A\"", "1", "1200") + "," + item("\"B\"", "1", "1200.5")),
						"items[1].unitPrice"),
				Arguments.of("price as text", order("\"alice\"", "\"EUR\"", item("\"A\"", "1", "\"cheap\"")),
						"items[0].unitPrice"),
				Arguments.of("an unknown property",
						"{\"customerId\":\"alice\",\"currency\":\"EUR\",\"items\":[" + item()
								+ "],\"coupon\":\"FREE\"}",
						"coupon"),
				Arguments.of("an array instead of an order", "[]", "$"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidOrders")
	void rejectsAnInvalidOrderNamingTheField(String description, String body, String field) {
		assertThat(post(body)).hasStatus(HttpStatus.BAD_REQUEST)
			.satisfies(OrderControllerTests::isProblemDetail)
			.bodyJson()
			.extractingPath("$.errors[*].field")
			.asArray()
			.contains(field);
	}

	@Test
	void listsEveryViolatedFieldAtOnce() {
		assertThat(post(order("\"\"", "\"eur\"", item("\"A\"", "0", "0")))).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.extractingPath("$.errors[*].field")
			.asArray()
			.contains("customerId", "currency", "items[0].quantity", "items[0].unitPrice");
	}

	@Test
	void rejectsMalformedJson() {
		assertThat(post("{\"customerId\":")).hasStatus(HttpStatus.BAD_REQUEST)
			.satisfies(OrderControllerTests::isProblemDetail)
			.bodyJson()
			.hasPathSatisfying("$.detail",
					(detail) -> detail.assertThat().isEqualTo("The request body is not valid JSON."));
	}

	@Test
	void rejectsAMissingBody() {
		assertThat(post("")).hasStatus(HttpStatus.BAD_REQUEST).satisfies(OrderControllerTests::isProblemDetail);
	}

	@Test
	void rejectsAnUnsupportedMediaType() {
		assertThat(this.mvc.post().uri("/orders").contentType(MediaType.TEXT_PLAIN).content("alice wants a book"))
			.hasStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
			.satisfies(OrderControllerTests::isProblemDetail);
	}

	@Test
	void rejectsABodyOver64KiB() {
		String huge = "{\"customerId\":\"alice\",\"currency\":\"EUR\",\"items\":[" + item() + "],\"padding\":\""
				+ "x".repeat(70 * 1024) + "\"}";

		assertThat(post(huge)).hasStatus(HttpStatus.CONTENT_TOO_LARGE).satisfies(OrderControllerTests::isProblemDetail);
	}

	@Test
	void rejectsAnIdempotencyKeyThatIsTooLong() {
		assertThat(this.mvc.post()
			.uri("/orders")
			.contentType(MediaType.APPLICATION_JSON)
			.header("Idempotency-Key", "k".repeat(256))
			.content(VALID)).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.extractingPath("$.errors[*].field")
			.asArray()
			.contains("Idempotency-Key");
	}

	@Test
	void answers422WhenAnIdempotencyKeyIsReusedForAnotherOrder() {
		UUID orderId = UUID.randomUUID();
		given(this.placement.place(any(), eq("key-2"))).willThrow(new IdempotencyKeyReusedException("key-2", orderId));

		assertThat(this.mvc.post()
			.uri("/orders")
			.contentType(MediaType.APPLICATION_JSON)
			.header("Idempotency-Key", "key-2")
			.content(VALID)).hasStatus(HttpStatus.UNPROCESSABLE_CONTENT)
			.satisfies(OrderControllerTests::isProblemDetail)
			.bodyJson()
			.hasPathSatisfying("$.orderId", (id) -> id.assertThat().isEqualTo(orderId.toString()));
	}

	@Test
	void answers503WithRetryAfterWhenKafkaIsUnavailable() {
		given(this.placement.place(any(), isNull()))
			.willThrow(new BrokerUnavailableException("Kafka did not accept the order", new RuntimeException()));

		assertThat(post(VALID)).hasStatus(HttpStatus.SERVICE_UNAVAILABLE)
			.hasHeader("Retry-After", "5")
			.satisfies(OrderControllerTests::isProblemDetail);
	}

	@Test
	void returnsAnOrder() {
		OrderView order = order();
		given(this.projection.findAfterCatchingUp(eq(order.orderId()), any())).willReturn(Optional.of(order));

		assertThat(this.mvc.get().uri("/orders/{id}", order.orderId())).hasStatusOk()
			.bodyJson()
			.hasPathSatisfying("$.history[0].type", (type) -> type.assertThat().isEqualTo("OrderPlaced"))
			.hasPathSatisfying("$.items[0].sku", (sku) -> sku.assertThat().isEqualTo("BOOK-1"));
	}

	@Test
	void answers404ForAnUnknownOrder() {
		given(this.projection.findAfterCatchingUp(any(), any())).willReturn(Optional.empty());

		assertThat(this.mvc.get().uri("/orders/{id}", UUID.randomUUID())).hasStatus(HttpStatus.NOT_FOUND)
			.satisfies(OrderControllerTests::isProblemDetail);
	}

	@Test
	void answers400ForAnOrderIdThatIsNotAUuid() {
		assertThat(this.mvc.get().uri("/orders/not-a-uuid")).hasStatus(HttpStatus.BAD_REQUEST)
			.satisfies(OrderControllerTests::isProblemDetail)
			.bodyJson()
			.extractingPath("$.errors[*].field")
			.asArray()
			.contains("orderId");
	}

	@Test
	void listsACustomersOrders() {
		given(this.projection.ordersOf("alice", OrderStatus.CONFIRMED, 1, 5, Duration.ofSeconds(5)))
			.willReturn(OrderPage.of(List.of(order()), 1, 5, 6));

		assertThat(this.mvc.get().uri("/orders?customerId=alice&status=CONFIRMED&page=1&size=5")).hasStatusOk()
			.bodyJson()
			.hasPathSatisfying("$.totalPages", (pages) -> pages.assertThat().isEqualTo(2))
			.hasPathSatisfying("$.content[0].customerId", (id) -> id.assertThat().isEqualTo("alice"));
	}

	@Test
	void rejectsAListingWithBadParameters() {
		assertThat(this.mvc.get().uri("/orders")).hasStatus(HttpStatus.BAD_REQUEST)
			.satisfies(OrderControllerTests::isProblemDetail);
		assertThat(this.mvc.get().uri("/orders?customerId=alice&size=0")).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.extractingPath("$.errors[*].field")
			.asArray()
			.contains("size");
		assertThat(this.mvc.get().uri("/orders?customerId=alice&status=SHIPPED")).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyJson()
			.extractingPath("$.errors[*].field")
			.asArray()
			.contains("status");
	}

	@Test
	void refusesAPageDeeperThanTheListingsServeWithTheWayToOlderOrders() {
		assertThat(this.mvc.get().uri("/orders?customerId=alice&page=100&size=100")).hasStatus(HttpStatus.BAD_REQUEST)
			.satisfies(OrderControllerTests::isProblemDetail)
			.bodyJson()
			.extractingPath("$.detail")
			.asString()
			.contains("newest 10000 orders", "filter by status");
		assertThat(this.mvc.get().uri("/orders?customerId=alice&page=" + Integer.MAX_VALUE + "&size=100"))
			.hasStatus(HttpStatus.BAD_REQUEST);
		then(this.projection).shouldHaveNoInteractions();
	}

	@Test
	void answers405ForAMethodTheApiDoesNotHave() {
		assertThat(this.mvc.delete().uri("/orders")).hasStatus(HttpStatus.METHOD_NOT_ALLOWED)
			.satisfies(OrderControllerTests::isProblemDetail);
	}

	private MvcTestResult post(String body) {
		return this.mvc.post().uri("/orders").contentType(MediaType.APPLICATION_JSON).content(body).exchange();
	}

	private static void isProblemDetail(MvcTestResult result) {
		assertThat(result.getResponse().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		assertThat(result).bodyText().doesNotContain("Exception").doesNotContain("at io.");
	}

	private static String order(String customerId, String currency, String items) {
		return "{\"customerId\":" + customerId + ",\"currency\":" + currency + ",\"items\":[" + items + "]}";
	}

	private static String item() {
		return item("\"BOOK-1\"", "1", "12.50");
	}

	private static String item(String sku, String quantity, String unitPrice) {
		return "{\"sku\":" + sku + ",\"quantity\":" + quantity + ",\"unitPrice\":" + unitPrice + "}";
	}

	private static OrderView order() {
		UUID orderId = UUID.randomUUID();
		return new OrderView(orderId, "alice", OrderStatus.PENDING_PAYMENT, null,
				List.of(new LineItem("BOOK-1", 2, new BigDecimal("12.50"))), new BigDecimal("25.00"),
				Currency.getInstance("EUR"), Instant.now(), UUID.randomUUID(),
				List.of(new OrderView.HistoryEntry("OrderPlaced", Instant.now(), "/order-service", UUID.randomUUID())));
	}

}
