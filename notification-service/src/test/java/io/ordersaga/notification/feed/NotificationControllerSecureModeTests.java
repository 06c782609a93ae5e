package io.ordersaga.notification.feed;

import java.util.List;

import io.ordersaga.kafka.test.TestTokens;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;

/**
 * notification-service's API in secure mode: a customer reads and follows only their own
 * notifications.
 */
@WebMvcTest(NotificationController.class)
@Import(NotificationControllerSecureModeTests.TestIssuer.class)
@TestPropertySource(properties = "spring.security.oauth2.resourceserver.jwt.issuer-uri=" + TestTokens.ISSUER)
class NotificationControllerSecureModeTests {

	static final TestTokens tokens = new TestTokens();

	@Autowired
	private MockMvcTester mvc;

	@MockitoBean
	private NotificationFeed feed;

	@MockitoBean
	private NotificationStreams streams;

	@Test
	void aCustomerReadsTheirOwnFeedOnly() {
		given(this.feed.of("alice", 50)).willReturn(List.of());

		assertThat(this.mvc.get().uri("/notifications?customerId=alice").header("Authorization", as("alice")))
			.hasStatus(HttpStatus.OK);
		assertThat(this.mvc.get().uri("/notifications?customerId=alice").header("Authorization", as("bob")))
			.hasStatus(HttpStatus.FORBIDDEN);
		assertThat(this.mvc.get().uri("/notifications?customerId=alice")).hasStatus(HttpStatus.UNAUTHORIZED);
	}

	@Test
	void aCustomerCannotFollowAnothersStream() {
		assertThat(this.mvc.get().uri("/notifications/stream?customerId=alice").header("Authorization", as("carol")))
			.hasStatus(HttpStatus.FORBIDDEN);
		then(this.streams).shouldHaveNoInteractions();
	}

	private static String as(String customer) {
		return "Bearer " + tokens.token(customer, "customer");
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class TestIssuer {

		@Bean
		JwtDecoder jwtDecoder() {
			return tokens.decoder();
		}

	}

}
