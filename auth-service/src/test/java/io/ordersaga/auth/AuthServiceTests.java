package io.ordersaga.auth;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.security.test.web.servlet.response.SecurityMockMvcResultMatchers.authenticated;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The issuer as the services and their clients use it, over real HTTP where it matters:
 * the one-request token for a script, the browser flow Swagger UI uses, and tokens that a
 * resource server, finding the keys through discovery as the services do, accepts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@AutoConfigureMockMvc
class AuthServiceTests {

	@TempDir
	static Path secrets;

	private static final int PORT = freePort();

	private static final String ISSUER = "http://localhost:" + PORT;

	private final HttpClient http = HttpClient.newHttpClient();

	private final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	private MockMvc mvc;

	@Autowired
	private BoundedAuthorizationService authorizations;

	@Autowired
	private FilterRegistrationBean<SignInLimit> signInLimit;

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) throws IOException {
		Path passwords = Files.createDirectories(secrets.resolve("passwords"));
		for (String name : List.of("alice", "bob", "carol", "operator", "order-saga-cli", "load-customers")) {
			Files.writeString(passwords.resolve(name), name + "-secret\n");
		}
		registry.add("ordersaga.auth.passwords", passwords::toString);
		registry.add("ordersaga.auth.load-customers", () -> "load-");
		registry.add("server.port", () -> PORT);
		registry.add("management.server.port", AuthServiceTests::freePort);
	}

	@Test
	void aScriptGetsACustomersTokenInOneRequestAndAResourceServerAcceptsIt() throws Exception {
		HttpResponse<String> response = tokenRequest("order-saga-cli", "order-saga-cli-secret", "alice",
				"alice-secret");

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode body = this.json.readTree(response.body());
		assertThat(body.path("token_type").asString()).isEqualTo("Bearer");
		assertThat(body.has("refresh_token")).isFalse();
		JwtDecoder resourceServer = JwtDecoders.fromIssuerLocation(ISSUER);
		Jwt token = resourceServer.decode(body.path("access_token").asString());
		assertThat(token.getSubject()).isEqualTo("alice");
		assertThat(token.getClaimAsStringList("roles")).containsExactly("customer");
		assertThat(token.getIssuer()).hasToString(ISSUER);
	}

	@Test
	void theOperatorsTokenSaysOperator() throws Exception {
		HttpResponse<String> response = tokenRequest("order-saga-cli", "order-saga-cli-secret", "operator",
				"operator-secret");

		assertThat(response.statusCode()).isEqualTo(200);
		Jwt token = JwtDecoders.fromIssuerLocation(ISSUER)
			.decode(this.json.readTree(response.body()).path("access_token").asString());
		assertThat(token.getClaimAsStringList("roles")).containsExactly("operator");
	}

	@Test
	void signInsAreBoundedBeforeSpringSecurityChecksAPassword() {
		assertThat(this.signInLimit.getUrlPatterns()).containsExactlyInAnyOrder("/oauth2/token", "/login");
		assertThat(this.signInLimit.getOrder()).isLessThan(SecurityFilterProperties.DEFAULT_FILTER_ORDER);
	}

	@Test
	void theLoadGeneratorsCustomersShareOnePasswordAndAreCustomersOnly() throws Exception {
		for (String customer : List.of("load-run1-0", "load-run1-nobody-7")) {
			HttpResponse<String> response = tokenRequest("order-saga-cli", "order-saga-cli-secret", customer,
					"load-customers-secret");
			assertThat(response.statusCode()).as(customer).isEqualTo(200);
			Jwt token = JwtDecoders.fromIssuerLocation(ISSUER)
				.decode(this.json.readTree(response.body()).path("access_token").asString());
			assertThat(token.getSubject()).isEqualTo(customer);
			assertThat(token.getClaimAsStringList("roles")).containsExactly("customer");
		}
		// Not the prefix alone, not with another password, and a named user keeps their
		// own.
		assertThat(
				tokenRequest("order-saga-cli", "order-saga-cli-secret", "load-", "load-customers-secret").statusCode())
			.isEqualTo(400);
		assertThat(tokenRequest("order-saga-cli", "order-saga-cli-secret", "load-run1-0", "alice-secret").statusCode())
			.isEqualTo(400);
		assertThat(
				tokenRequest("order-saga-cli", "order-saga-cli-secret", "alice", "load-customers-secret").statusCode())
			.isEqualTo(400);
	}

	@Test
	void aPasswordChangedInItsFileCountsFromTheNextSignIn() throws Exception {
		assertThat(tokenRequest("order-saga-cli", "order-saga-cli-secret", "carol", "carol-secret").statusCode())
			.isEqualTo(200);

		Files.writeString(secrets.resolve("passwords/carol"), "carol-rotated");

		assertThat(tokenRequest("order-saga-cli", "order-saga-cli-secret", "carol", "carol-secret").statusCode())
			.isEqualTo(400);
		assertThat(tokenRequest("order-saga-cli", "order-saga-cli-secret", "carol", "carol-rotated").statusCode())
			.isEqualTo(200);
	}

	@Test
	void aWrongPasswordGetsNoToken() throws Exception {
		HttpResponse<String> response = tokenRequest("order-saga-cli", "order-saga-cli-secret", "alice", "bob-secret");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(this.json.readTree(response.body()).path("error").asString()).isEqualTo("invalid_grant");
		assertThat(response.body()).doesNotContain("access_token");
	}

	@Test
	void anUnknownUserGetsTheSameAnswerAsAWrongPassword() throws Exception {
		HttpResponse<String> response = tokenRequest("order-saga-cli", "order-saga-cli-secret", "mallory",
				"alice-secret");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(this.json.readTree(response.body()).path("error_description").asString())
			.isEqualTo("Wrong user name or password.");
	}

	@Test
	void aClientWithAWrongSecretGetsNoToken() throws Exception {
		HttpResponse<String> response = tokenRequest("order-saga-cli", "guess", "alice", "alice-secret");

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(this.json.readTree(response.body()).path("error").asString()).isEqualTo("invalid_client");
	}

	@Test
	void theBrowserClientCannotTakePasswords() throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(ISSUER + "/oauth2/token"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "password", "client_id", "swagger-ui",
					"username", "alice", "password", "alice-secret"))))
			.build();

		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isIn(400, 401);
		assertThat(response.body()).doesNotContain("access_token");
	}

	@Test
	void swaggerUiSignsInWithTheAuthorizationCodeAndPkce() throws Exception {
		String verifier = "a-verifier-long-enough-for-rfc-7636-0123456789abcdef";
		String challenge = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
		String redirect = "http://127.0.0.1:8183/swagger-ui/oauth2-redirect.html";

		MockHttpSession signedIn = (MockHttpSession) this.mvc.perform(formLogin().user("bob").password("bob-secret"))
			.andExpect(authenticated().withUsername("bob"))
			.andReturn()
			.getRequest()
			.getSession();
		MvcResult authorized = this.mvc
			.perform(
					get(URI.create(authorize(redirect, "&code_challenge=" + challenge + "&code_challenge_method=S256")))
						.session(signedIn))
			.andExpect(status().is3xxRedirection())
			.andReturn();
		URI location = URI.create(authorized.getResponse().getRedirectedUrl());
		assertThat(location.toString()).startsWith(redirect);
		String code = query(location).get("code");

		MvcResult token = this.mvc
			.perform(post("/oauth2/token").param("grant_type", "authorization_code")
				.param("client_id", "swagger-ui")
				.param("code", code)
				.param("redirect_uri", redirect)
				.param("code_verifier", verifier))
			.andExpect(status().isOk())
			.andReturn();
		Jwt jwt = JwtDecoders.fromIssuerLocation(ISSUER)
			.decode(this.json.readTree(token.getResponse().getContentAsString()).path("access_token").asString());
		assertThat(jwt.getSubject()).isEqualTo("bob");
		assertThat(jwt.getClaimAsStringList("roles")).containsExactly("customer");
	}

	@Test
	void swaggerUiWithoutPkceIsRefused() throws Exception {
		this.mvc
			.perform(get(URI.create(authorize("http://127.0.0.1:8081/swagger-ui/oauth2-redirect.html", "")))
				.with(user("bob").roles("CUSTOMER")))
			.andExpect(
					(result) -> assertThat(result.getResponse().getRedirectedUrl()).contains("error=invalid_request"));
	}

	@Test
	void aBrowserIsSentToTheSignInPage() throws Exception {
		this.mvc
			.perform(get(URI.create(authorize("http://127.0.0.1:8081/swagger-ui/oauth2-redirect.html",
					"&code_challenge=" + "x".repeat(43) + "&code_challenge_method=S256")))
				.header("Accept", "text/html"))
			.andExpect(status().is3xxRedirection())
			.andExpect((result) -> assertThat(result.getResponse().getRedirectedUrl()).endsWith("/login"));
	}

	@Test
	void theStoreOfAuthorizationsKeepsOnlyTheNewest() {
		BoundedAuthorizationService bounded = new BoundedAuthorizationService(2);
		for (int i = 0; i < 5; i++) {
			bounded.save(org.springframework.security.oauth2.server.authorization.OAuth2Authorization
				.withRegisteredClient(
						org.springframework.security.oauth2.server.authorization.client.RegisteredClient.withId("c")
							.clientId("c")
							.authorizationGrantType(
									org.springframework.security.oauth2.core.AuthorizationGrantType.CLIENT_CREDENTIALS)
							.build())
				.id("a" + i)
				.principalName("p")
				.authorizationGrantType(
						org.springframework.security.oauth2.core.AuthorizationGrantType.CLIENT_CREDENTIALS)
				.build());
		}

		assertThat(bounded.size()).isEqualTo(2);
		assertThat(bounded.findById("a0")).isNull();
		assertThat(bounded.findById("a4")).isNotNull();
		assertThat(this.authorizations).isNotNull();
	}

	/**
	 * The authorization endpoint, its parameters in the query string as a browser sends
	 * them.
	 */
	private static String authorize(String redirectUri, String more) {
		return "/oauth2/authorize?response_type=code&client_id=swagger-ui&scope=openid&state=s1&redirect_uri="
				+ URLEncoder.encode(redirectUri, StandardCharsets.UTF_8) + more;
	}

	private HttpResponse<String> tokenRequest(String client, String secret, String username, String password)
			throws IOException, InterruptedException {
		String basic = Base64.getEncoder().encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8));
		HttpRequest request = HttpRequest.newBuilder(URI.create(ISSUER + "/oauth2/token"))
			.header("Authorization", "Basic " + basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers
				.ofString(form(Map.of("grant_type", "password", "username", username, "password", password))))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static String form(Map<String, String> fields) {
		return fields.entrySet()
			.stream()
			.map((field) -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

	private static Map<String, String> query(URI uri) {
		return java.util.Arrays.stream(uri.getRawQuery().split("&"))
			.map((pair) -> pair.split("=", 2))
			.collect(Collectors.toMap((pair) -> pair[0],
					(pair) -> java.net.URLDecoder.decode(pair[1], StandardCharsets.UTF_8)));
	}

	private static byte[] sha256(byte[] bytes) throws NoSuchAlgorithmException {
		return MessageDigest.getInstance("SHA-256").digest(bytes);
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
