package io.ordersaga.support.security;

import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.ordersaga.kafka.test.TestTokens;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two modes of the services' web security, on a stand-in API that uses
 * {@link CallerAccess} as the services' controllers do, with tokens signed and checked
 * for real.
 */
class SagaSecurityTests {

	static final TestTokens tokens = new TestTokens();

	@Nested
	@WebMvcTest
	@ContextConfiguration(classes = StandInApi.class)
	@TestPropertySource(properties = { "spring.security.oauth2.resourceserver.jwt.issuer-uri=" + TestTokens.ISSUER,
			"spring.application.name=order-service" })
	class Secure {

		@Autowired
		private MockMvcTester mvc;

		@Autowired
		private ObservationNames observations;

		@Test
		void aRequestWithoutATokenIsAnUnauthorizedProblem() {
			MvcTestResult answer = this.mvc.get().uri("/customers/alice").exchange();

			assertThat(answer).hasStatus(HttpStatus.UNAUTHORIZED)
				.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
				.bodyJson()
				.hasPathSatisfying("$.status", (status) -> status.assertThat().isEqualTo(401))
				.hasPathSatisfying("$.title", (title) -> title.assertThat().isEqualTo("Unauthorized"));
			assertThat(answer.getResponse().getHeader("WWW-Authenticate")).startsWith("Bearer");
		}

		@Test
		void aForgedTokenIsRefusedEvenWhenItClaimsTheOperator() {
			MvcTestResult answer = this.mvc.get()
				.uri("/customers/alice")
				.header("Authorization", "Bearer " + tokens.forged("alice", "operator"))
				.exchange();

			assertThat(answer).hasStatus(HttpStatus.UNAUTHORIZED).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
			assertThat(answer.getResponse().getHeader("WWW-Authenticate")).contains("invalid_token");
		}

		@Test
		void anExpiredTokenIsRefused() {
			assertThat(get("/customers/alice", tokens.expired("alice"))).hasStatus(HttpStatus.UNAUTHORIZED);
		}

		@Test
		void aMalformedTokenIsRefused() {
			assertThat(get("/customers/alice", "not.a.jwt")).hasStatus(HttpStatus.UNAUTHORIZED)
				.hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		}

		@Test
		void aCustomerReadsTheirOwnDataOnly() {
			assertThat(get("/customers/alice", tokens.token("alice", "customer"))).hasStatus(HttpStatus.OK);

			MvcTestResult other = get("/customers/bob", tokens.token("alice", "customer"));
			assertThat(other).hasStatus(HttpStatus.FORBIDDEN)
				.hasContentType(MediaType.APPLICATION_PROBLEM_JSON)
				.bodyJson()
				.hasPathSatisfying("$.detail", (detail) -> detail.assertThat()
					.isEqualTo("You may read only your own data: your token is for customer alice."));
		}

		@Test
		void aCustomerActsOnlyAsThemselvesAndTheOperatorActsAsNoCustomer() {
			assertThat(post("/customers/alice/orders", tokens.token("alice", "customer"))).hasStatus(HttpStatus.OK);
			assertThat(post("/customers/bob/orders", tokens.token("alice", "customer")))
				.hasStatus(HttpStatus.FORBIDDEN);
			assertThat(post("/customers/bob/orders", tokens.token("operator", "operator")))
				.hasStatus(HttpStatus.FORBIDDEN);
		}

		@Test
		void theOperatorReadsEveryonesData() {
			assertThat(get("/customers/bob", tokens.token("operator", "operator"))).hasStatus(HttpStatus.OK);
		}

		@Test
		void aTokenWithoutARoleSeesNoCustomersData() {
			assertThat(get("/customers/alice", tokens.token("alice", "guest"))).hasStatus(HttpStatus.FORBIDDEN);
		}

		@Test
		void creditingAnAccountNeedsTheOperator() {
			assertThat(post("/accounts/alice/credits", tokens.token("alice", "customer")))
				.hasStatus(HttpStatus.FORBIDDEN)
				.hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
			assertThat(post("/accounts/alice/credits", tokens.token("operator", "operator"))).hasStatus(HttpStatus.OK);
		}

		@Test
		void probesAndSwaggerUiStayOpen() {
			assertThat(this.mvc.get().uri("/readyz").exchange()).hasStatus(HttpStatus.OK);
			assertThat(this.mvc.get().uri("/livez").exchange()).hasStatus(HttpStatus.OK);
		}

		@Test
		void theServicesAsyncApiDocumentIsOpenLikeItsRestDocumentation() {
			assertThat(this.mvc.get().uri("/asyncapi").exchange()).hasStatus(HttpStatus.OK)
				.hasContentType(MediaType.APPLICATION_JSON)
				.bodyJson()
				.hasPathSatisfying("$.info.title", (title) -> title.assertThat().isEqualTo("order-saga: order-service"))
				.hasPathSatisfying("$.operations.order-service-sends-orders.action",
						(action) -> action.assertThat().isEqualTo("send"));
		}

		@Test
		void aTokenCheckIsObservedButNoSecurityFilterOrAuthorization() {
			this.observations.clear();
			assertThat(get("/customers/alice", tokens.token("alice", "customer"))).hasStatus(HttpStatus.OK);

			assertThat(this.observations).contains("spring.security.authentications")
				.noneMatch((name) -> name.startsWith("spring.security.filterchain")
						|| name.startsWith("spring.security.authorization"));
		}

		private MvcTestResult get(String path, String token) {
			return this.mvc.get().uri(path).header("Authorization", "Bearer " + token).exchange();
		}

		private MvcTestResult post(String path, String token) {
			return this.mvc.post().uri(path).header("Authorization", "Bearer " + token).exchange();
		}

	}

	@Nested
	@WebMvcTest
	@ContextConfiguration(classes = StandInApi.class)
	class Open {

		@Autowired
		private MockMvcTester mvc;

		@Autowired
		private ObservationNames observations;

		@Test
		void noObservationIsMadeOfTheSecurityFilters() {
			this.observations.clear();
			assertThat(this.mvc.post().uri("/customers/bob/orders").exchange()).hasStatus(HttpStatus.OK);

			assertThat(this.observations).noneMatch((name) -> name.startsWith("spring.security"));
		}

		@Test
		void anApplicationThatIsNoServiceOfTheSuiteHasNoAsyncApiDocument() {
			assertThat(this.mvc.get().uri("/asyncapi").exchange()).hasStatus(HttpStatus.NOT_FOUND)
				.hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
		}

		@Test
		void anyoneMayDoAnything() {
			assertThat(this.mvc.get().uri("/customers/bob").exchange()).hasStatus(HttpStatus.OK);
			assertThat(this.mvc.post().uri("/customers/bob/orders").exchange()).hasStatus(HttpStatus.OK);
			assertThat(this.mvc.post().uri("/accounts/bob/credits").exchange()).hasStatus(HttpStatus.OK);
		}

	}

	@Nested
	@WebMvcTest
	@ContextConfiguration(classes = { StandInApi.class, ObservingEverything.class })
	class ObservedByTheApplication {

		@Autowired
		private MockMvcTester mvc;

		@Autowired
		private ObservationNames observations;

		@Test
		void anApplicationsOwnObservationSettingsReplaceTheServices() {
			this.observations.clear();
			assertThat(this.mvc.get().uri("/customers/bob").exchange()).hasStatus(HttpStatus.OK);

			assertThat(this.observations).contains("spring.security.filterchains", "spring.security.authorizations");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ObservingEverything {

		@Bean
		SecurityObservationSettings securityObservationSettings() {
			return SecurityObservationSettings.withDefaults()
				.shouldObserveRequests(true)
				.shouldObserveAuthorizations(true)
				.build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class StandInApi {

		@Bean
		JwtDecoder jwtDecoder() {
			return tokens.decoder();
		}

		@Bean
		Endpoints endpoints(CallerAccess callers) {
			return new Endpoints(callers);
		}

		@Bean
		ObservationNames observationNames() {
			return new ObservationNames();
		}

		@Bean
		ObservationRegistry observationRegistry(ObservationNames names) {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(names);
			return registry;
		}

	}

	/** The name of every observation started, in order. */
	static final class ObservationNames extends CopyOnWriteArrayList<String>
			implements ObservationHandler<Observation.Context> {

		@Override
		public void onStart(Observation.Context context) {
			add(context.getName());
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

	@RestController
	static class Endpoints {

		private final CallerAccess callers;

		Endpoints(CallerAccess callers) {
			this.callers = callers;
		}

		@GetMapping("/customers/{customerId}")
		Map<String, String> read(@PathVariable String customerId) {
			this.callers.checkMaySee(customerId);
			return Map.of("customerId", customerId);
		}

		@PostMapping("/customers/{customerId}/orders")
		Map<String, String> order(@PathVariable String customerId) {
			this.callers.checkActsAs(customerId);
			return Map.of("customerId", customerId);
		}

		@PostMapping("/accounts/{customerId}/credits")
		Map<String, String> credit(@PathVariable String customerId) {
			return Map.of("customerId", customerId);
		}

		@GetMapping({ "/readyz", "/livez" })
		String probe() {
			return "UP";
		}

	}

}
