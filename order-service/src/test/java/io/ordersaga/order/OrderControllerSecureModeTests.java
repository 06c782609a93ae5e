package io.ordersaga.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ordersaga.events.LineItem;
import io.ordersaga.kafka.test.TestTokens;
import io.ordersaga.order.core.OrderStatus;
import io.ordersaga.order.view.OrderPage;
import io.ordersaga.order.view.OrderProjection;
import io.ordersaga.order.view.OrderView;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.test.context.TestPropertySource;
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
 * order-service's API in secure mode: a customer orders and reads as themselves only, and
 * another customer's order looks like one that does not exist.
 */
@WebMvcTest(OrderController.class)
@EnableConfigurationProperties(OrderProperties.class)
@Import({ SimpleMeterRegistry.class, OrderControllerSecureModeTests.TestIssuer.class })
@TestPropertySource(properties = "spring.security.oauth2.resourceserver.jwt.issuer-uri=" + TestTokens.ISSUER)
class OrderControllerSecureModeTests {

	static final TestTokens tokens = new TestTokens();

	private static final String ALICES_ORDER = """
			{"customerId":"alice","currency":"EUR","items":[{"sku":"BOOK-1","quantity":2,"unitPrice":12.50}]}""";

	@Autowired
	private MockMvcTester mvc;

	@MockitoBean
	private OrderPlacement placement;

	@MockitoBean
	private OrderProjection projection;

	@Test
	void aCustomerPlacesAnOrderForThemselves() {
		given(this.placement.place(any(), isNull())).willReturn(new OrderPlacement.Placement(orderOf("alice"), false));

		assertThat(post(ALICES_ORDER, as("alice"))).hasStatus(HttpStatus.ACCEPTED);
	}

	@Test
	void aCustomerCannotOrderForAnotherAndNothingIsPlaced() {
		MvcTestResult answer = post(ALICES_ORDER, as("bob"));

		assertThat(answer).hasStatus(HttpStatus.FORBIDDEN)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
			.bodyJson()
			.hasPathSatisfying("$.detail", (detail) -> detail.assertThat()
				.isEqualTo("You may place orders only for yourself: your token is for customer bob, not alice."));
		then(this.placement).shouldHaveNoInteractions();
	}

	@Test
	void theOperatorPlacesNoOrders() {
		assertThat(post(ALICES_ORDER, "Bearer " + tokens.token("operator", "operator")))
			.hasStatus(HttpStatus.FORBIDDEN);
		then(this.placement).shouldHaveNoInteractions();
	}

	@Test
	void anOrderWithoutATokenIsUnauthorizedAndNothingIsPlaced() {
		assertThat(this.mvc.post().uri("/orders").contentType(MediaType.APPLICATION_JSON).content(ALICES_ORDER))
			.hasStatus(HttpStatus.UNAUTHORIZED)
			.hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		then(this.placement).shouldHaveNoInteractions();
	}

	@Test
	void anotherCustomersOrderIsNotFoundAsIfItDidNotExist() {
		OrderView bobs = orderOf("bob");
		given(this.projection.findAfterCatchingUp(eq(bobs.orderId()), any())).willReturn(Optional.of(bobs));
		given(this.projection.findAfterCatchingUp(eq(UUID.fromString("00000000-0000-0000-0000-000000000001")), any()))
			.willReturn(Optional.empty());

		MvcTestResult someoneElses = get("/orders/" + bobs.orderId(), as("alice"));
		MvcTestResult nobodys = get("/orders/00000000-0000-0000-0000-000000000001", as("alice"));

		assertThat(someoneElses).hasStatus(HttpStatus.NOT_FOUND);
		assertThat(nobodys).hasStatus(HttpStatus.NOT_FOUND);
		assertThat(someoneElses.getResponse().getContentAsByteArray().length)
			.isEqualTo(nobodys.getResponse().getContentAsByteArray().length);
		assertThat(get("/orders/" + bobs.orderId(), as("bob"))).hasStatus(HttpStatus.OK);
		assertThat(get("/orders/" + bobs.orderId(), "Bearer " + tokens.token("operator", "operator")))
			.hasStatus(HttpStatus.OK);
	}

	@Test
	void aCustomerListsOnlyTheirOwnOrders() {
		given(this.projection.ordersOf(eq("bob"), isNull(), eq(0), eq(20), any()))
			.willReturn(OrderPage.of(List.of(), 0, 20, 0));

		assertThat(get("/orders?customerId=bob", as("alice"))).hasStatus(HttpStatus.FORBIDDEN);
		assertThat(get("/orders?customerId=bob", as("bob"))).hasStatus(HttpStatus.OK);
	}

	private MvcTestResult post(String body, String authorization) {
		return this.mvc.post()
			.uri("/orders")
			.header("Authorization", authorization)
			.contentType(MediaType.APPLICATION_JSON)
			.content(body)
			.exchange();
	}

	private MvcTestResult get(String path, String authorization) {
		return this.mvc.get().uri(path).header("Authorization", authorization).exchange();
	}

	private static String as(String customer) {
		return "Bearer " + tokens.token(customer, "customer");
	}

	private static OrderView orderOf(String customer) {
		return new OrderView(UUID.randomUUID(), customer, OrderStatus.PENDING_PAYMENT, null,
				List.of(new LineItem("BOOK-1", 2, new BigDecimal("12.50"))), new BigDecimal("25.00"),
				Currency.getInstance("EUR"), Instant.now(), UUID.randomUUID(),
				List.of(new OrderView.HistoryEntry("OrderPlaced", Instant.now(), "/order-service", UUID.randomUUID())));
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class TestIssuer {

		@Bean
		JwtDecoder jwtDecoder() {
			return tokens.decoder();
		}

	}

}
