package io.ordersaga.runner;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Places a handful of orders that cover every outcome against a running suite and prints
 * each order's final state and the customer's notification about it.
 */
public final class Demo {

	private static final Pattern STATUS = Pattern.compile("\"status\":\"([A-Z_]+)\"");

	private static final Pattern REASON = Pattern.compile("\"cancellationReason\":\"([A-Z_]+)\"");

	private static final Duration OUTCOME_TIMEOUT = Duration.ofSeconds(60);

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String orders;

	private final String notifications;

	/** In secure mode, each customer's token; {@code null} in the open mode. */
	private final @Nullable IssuerTokens tokens;

	public Demo(String orders, String notifications) {
		this(orders, notifications, null);
	}

	/**
	 * A demo that signs each customer in, in secure mode.
	 * @param orders order-service's URL
	 * @param notifications notification-service's URL
	 * @param tokens the customers' tokens, or {@code null} in the open mode
	 */
	public Demo(String orders, String notifications, @Nullable IssuerTokens tokens) {
		this.orders = orders;
		this.notifications = notifications;
		this.tokens = tokens;
	}

	/**
	 * Runs the demo.
	 * @param out where the results go
	 * @return whether every order ended as expected, with a notification
	 */
	public boolean run(PrintStream out) {
		String run = UUID.randomUUID().toString().substring(0, 8);
		List<Case> cases = new ArrayList<>(List.of(new Case("alice", "12.50", "confirmed: alice can pay", "CONFIRMED"),
				new Case("bob", "400.00", "cancelled: more than bob's balance", "CANCELLED INSUFFICIENT_FUNDS"),
				new Case("carol", "5.00", "cancelled: carol's account is empty", "CANCELLED INSUFFICIENT_FUNDS")));
		if (this.tokens == null) {
			cases.add(new Case("nobody-" + run, "9.99", "cancelled: no account for this customer",
					"CANCELLED UNKNOWN_CUSTOMER"));
		}
		else {
			out.println("(Secure mode: each customer signs in; only the issuer's users alice, bob and carol can "
					+ "order, and each has an account, so no order ends as UNKNOWN_CUSTOMER.)");
		}
		boolean asExpected = true;
		for (Case demo : cases) {
			asExpected &= place(demo, out);
		}
		return asExpected;
	}

	/** Places one order, prints how it ended, and says whether that was as expected. */
	private boolean place(Case demo, PrintStream out) {
		try {
			HttpResponse<String> placed = this.http.send(signedIn(demo.customer(), this.orders + "/orders")
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("""
						{"customerId":"%s","currency":"EUR","items":[{"sku":"DEMO-1","quantity":1,"unitPrice":%s}]}"""
					.formatted(demo.customer(), demo.price())))
				.build(), HttpResponse.BodyHandlers.ofString());
			if (placed.statusCode() != 202) {
				out.println(demo.customer() + ": not accepted (" + placed.statusCode() + "): " + placed.body());
				return false;
			}
			String location = placed.headers().firstValue("Location").orElseThrow();
			String order = awaitFinal(demo.customer(), this.orders + location);
			Matcher status = STATUS.matcher(order);
			Matcher reason = REASON.matcher(order);
			String outcome = (status.find() ? status.group(1) : "?") + (reason.find() ? " " + reason.group(1) : "");
			String notification = notification(demo.customer(), location);
			out.println(String.format("%-16s %8s EUR  %-42s -> %-28s notification: %s", demo.customer(), demo.price(),
					"(" + demo.expectation() + ")", outcome, (notification != null) ? notification : "(none yet)"));
			return outcome.equals(demo.outcome()) && notification != null;
		}
		catch (IOException ex) {
			out.println(demo.customer() + ": " + ex.getMessage() + " (is the suite running? ./run)");
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			out.println(demo.customer() + ": interrupted");
			return false;
		}
	}

	private String awaitFinal(String customer, String url) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + OUTCOME_TIMEOUT.toNanos();
		String body = "";
		while (System.nanoTime() < deadline) {
			body = get(customer, url);
			if (!body.contains("\"PENDING_PAYMENT\"")) {
				return body;
			}
			Thread.sleep(200);
		}
		return body;
	}

	private @Nullable String notification(String customer, String location) throws IOException, InterruptedException {
		String orderId = location.substring(location.lastIndexOf('/') + 1);
		long deadline = System.nanoTime() + OUTCOME_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			String feed = get(customer, this.notifications + "/notifications?customerId=" + customer);
			Matcher subject = Pattern
				.compile("\"orderId\":\"" + orderId + "\",\"customerId\":\"[^\"]*\",\"subject\":\"([^\"]*)\"")
				.matcher(feed);
			if (subject.find()) {
				return subject.group(1);
			}
			Thread.sleep(200);
		}
		return null;
	}

	private String get(String customer, String url) throws IOException, InterruptedException {
		return this.http.send(signedIn(customer, url).build(), HttpResponse.BodyHandlers.ofString()).body();
	}

	/** A request as the customer: with their token in secure mode. */
	private HttpRequest.Builder signedIn(String customer, String url) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
		IssuerTokens tokens = this.tokens;
		return (tokens != null) ? request.header("Authorization", tokens.bearer(customer)) : request;
	}

	/**
	 * Places the demo orders against the suite that {@code ./run} started.
	 * @param args ignored
	 */
	public static void main(String[] args) {
		SuiteRunner.Settings settings = SuiteRunner.Settings.fromEnvironment(Path.of(""), false, System.getenv());
		System.out.println("Placing one order per outcome ...");
		String issuer = "http://localhost:" + settings.authPort();
		IssuerTokens tokens = IssuerTokens.answers(issuer)
				? new IssuerTokens(issuer, KafkaSecrets.existing(settings.secrets())) : null;
		boolean asExpected = new Demo("http://localhost:" + settings.orderPort(),
				"http://localhost:" + settings.notificationPort(), tokens)
			.run(System.out);
		if (!asExpected) {
			System.out.println(
					"Not every order ended as expected; the services' logs are in " + settings.logs().toAbsolutePath());
			System.exit(1);
		}
	}

	/**
	 * One demo order.
	 *
	 * @param customer who orders
	 * @param price its price
	 * @param expectation why it should end as it does, in words
	 * @param outcome how it should end: the status and any reason
	 */
	private record Case(String customer, String price, String expectation, String outcome) {
	}

}
