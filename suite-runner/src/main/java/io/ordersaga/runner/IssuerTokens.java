package io.ordersaga.runner;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Access tokens from the suite's issuer in secure mode, for the suite's own tools
 * ({@code ./demo}, the end-to-end test): a user's name and password from the secrets
 * directory exchanged for a token in one request, as the README's {@code curl} does, with
 * the command-line client's secret. A token is kept until shortly before it expires;
 * there is one per user, and the users are the issuer's few.
 */
public final class IssuerTokens {

	/** The client the suite's tools ask for tokens as. */
	public static final String CLIENT = "order-saga-cli";

	private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

	private static final Pattern EXPIRES_IN = Pattern.compile("\"expires_in\"\\s*:\\s*(\\d+)");

	private final String issuer;

	private final KafkaSecrets secrets;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final Map<String, Token> tokens = new ConcurrentHashMap<>();

	/**
	 * Tokens from an issuer.
	 * @param issuer its URL, such as {@code http://localhost:8084}
	 * @param secrets where each user's password and the client's secret are
	 */
	public IssuerTokens(String issuer, KafkaSecrets secrets) {
		this.issuer = issuer;
		this.secrets = secrets;
	}

	/**
	 * Whether an issuer answers at this URL: secure mode is running.
	 * @param issuer the issuer's URL
	 * @return {@code true} if its discovery document answers
	 */
	public static boolean answers(String issuer) {
		try {
			HttpResponse<Void> discovery = HttpClient.newBuilder()
				.connectTimeout(Duration.ofSeconds(1))
				.build()
				.send(HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
					.timeout(Duration.ofSeconds(2))
					.build(), HttpResponse.BodyHandlers.discarding());
			return discovery.statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * An {@code Authorization} header for a user.
	 * @param user the user, such as {@code alice} or {@code operator}
	 * @return {@code Bearer <token>}
	 */
	public String bearer(String user) {
		return bearer(user, user);
	}

	/**
	 * An {@code Authorization} header for a user whose password is in another's file, as
	 * the load generator's customers share one.
	 * @param user the user
	 * @param password the name of the file with their password
	 * @return {@code Bearer <token>}
	 */
	public String bearer(String user, String password) {
		Token token = this.tokens.get(user);
		if (token == null || !token.fresh()) {
			// Asked for outside the map's lock: a sign-in takes the issuer two password
			// hashes, and other users' sign-ins need not wait for it. Two callers may
			// both ask for the same user; either token is good.
			token = fetch(user, password);
			this.tokens.put(user, token);
		}
		return "Bearer " + token.value();
	}

	private Token fetch(String user, String password) {
		String basic = Base64.getEncoder()
			.encodeToString((CLIENT + ":" + this.secrets.password(CLIENT)).getBytes(StandardCharsets.UTF_8));
		String form = "grant_type=password&username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
				+ URLEncoder.encode(this.secrets.password(password), StandardCharsets.UTF_8);
		try {
			HttpResponse<String> response = this.http
				.send(HttpRequest.newBuilder(URI.create(this.issuer + "/oauth2/token"))
					.timeout(Duration.ofSeconds(10))
					.header("Authorization", "Basic " + basic)
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString(form))
					.build(), HttpResponse.BodyHandlers.ofString());
			Matcher token = ACCESS_TOKEN.matcher(response.body());
			if (response.statusCode() != 200 || !token.find()) {
				throw new IllegalStateException("The issuer at " + this.issuer + " gave " + user + " no token ("
						+ response.statusCode() + "): " + response.body());
			}
			Matcher expiresIn = EXPIRES_IN.matcher(response.body());
			long seconds = expiresIn.find() ? Long.parseLong(expiresIn.group(1)) : 60;
			return new Token(token.group(1), System.nanoTime() + Duration.ofSeconds(seconds).toNanos() / 2);
		}
		catch (IOException ex) {
			throw new IllegalStateException("The issuer at " + this.issuer + " does not answer: " + ex.getMessage(),
					ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while asking for a token", ex);
		}
	}

	/** A token, used until half its life has passed. */
	private record Token(String value, long renewAfterNanos) {

		boolean fresh() {
			return System.nanoTime() - this.renewAfterNanos < 0;
		}

	}

}
