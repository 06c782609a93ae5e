package io.ordersaga.payment;

import java.time.Duration;
import java.util.UUID;

import io.ordersaga.kafka.test.Actuator;
import io.ordersaga.kafka.test.TestTokens;
import io.ordersaga.kafka.test.UseTestKafkaBroker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.awaitility.Awaitility.await;

/**
 * payment-service in secure mode, as {@code ./run --secure} starts it (the {@code secure}
 * profile), with tokens signed by a test issuer: the accounts API and Actuator's port
 * each ask for the right token.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.kafka.streams.state-dir=${java.io.tmpdir}/payment-service-tests/${random.uuid}",
				"spring.security.oauth2.resourceserver.jwt.issuer-uri=" + TestTokens.ISSUER })
@ActiveProfiles("secure")
@AutoConfigureRestTestClient
@UseTestKafkaBroker
class PaymentServiceSecureModeTests {

	static final TestTokens tokens = new TestTokens();

	@Autowired
	private RestTestClient http;

	@LocalManagementPort
	private int managementPort;

	@LocalServerPort
	private int port;

	/** The probe answers without a token, as an orchestrator asks it. */
	@BeforeEach
	void awaitReady() {
		Actuator.awaitReady(this.port);
	}

	@Test
	void aCustomerReadsTheirOwnAccountOnly() {
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> this.http.get()
				.uri("/accounts/alice")
				.header("Authorization", bearer("alice", "customer"))
				.exchange()
				.expectStatus()
				.isOk());
		this.http.get()
			.uri("/accounts/alice")
			.header("Authorization", bearer("bob", "customer"))
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void onlyTheOperatorCredits() {
		String customer = "secure-" + UUID.randomUUID();
		String credit = "{\"amount\":10.00}";
		this.http.post()
			.uri("/accounts/{id}/credits", customer)
			.header("Authorization", bearer(customer, "customer"))
			.contentType(MediaType.APPLICATION_JSON)
			.body(credit)
			.exchange()
			.expectStatus()
			.isForbidden();
		this.http.post()
			.uri("/accounts/{id}/credits", customer)
			.contentType(MediaType.APPLICATION_JSON)
			.body(credit)
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.http.post()
			.uri("/accounts/{id}/credits", customer)
			.header("Authorization", bearer("operator", "operator"))
			.contentType(MediaType.APPLICATION_JSON)
			.body(credit)
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void theProbesStayOpenAndTheRestOfActuatorNeedsTheOperator() {
		RestTestClient actuator = Actuator.client(this.managementPort);
		actuator.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
		actuator.get()
			.uri("/actuator/health")
			.exchange()
			.expectBody()
			.jsonPath("$.status")
			.exists()
			.jsonPath("$.components")
			.doesNotExist();
		actuator.get()
			.uri("/actuator/health")
			.header("Authorization", bearer("operator", "operator"))
			.exchange()
			.expectBody()
			.jsonPath("$.components.kafka")
			.exists();
		actuator.get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();
		actuator.get()
			.uri("/actuator/prometheus")
			.header("Authorization", bearer("alice", "customer"))
			.exchange()
			.expectStatus()
			.isForbidden();
		actuator.get()
			.uri("/actuator/prometheus")
			.header("Authorization", bearer("operator", "operator"))
			.exchange()
			.expectStatus()
			.isOk();
	}

	private static String bearer(String subject, String role) {
		return "Bearer " + tokens.token(subject, role);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class TestIssuer {

		@Bean
		JwtDecoder jwtDecoder() {
			return tokens.decoder();
		}

	}

}
