package io.ordersaga.runner;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

	public Demo(String orders, String notifications) {
		this.orders = orders;
		this.notifications = notifications;
	}

	/**
	 * Runs the demo.
	 * @param out where the results go
	 * @return the orders' outcomes, one line each
	 */
	public List<String> run(PrintStream out) {
		String run = UUID.randomUUID().toString().substring(0, 8);
		List<Case> cases = List.of(new Case("alice", "12.50", "confirmed: alice can pay"),
				new Case("bob", "400.00", "cancelled: more than bob's balance"),
				new Case("carol", "5.00", "cancelled: carol's account is empty"),
				new Case("nobody-" + run, "9.99", "cancelled: no account for this customer"));
		return cases.stream().map((demo) -> {
			String line = place(demo);
			out.println(line);
			return line;
		}).toList();
	}

	private String place(Case demo) {
		try {
			HttpResponse<String> placed = this.http.send(HttpRequest.newBuilder(URI.create(this.orders + "/orders"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("""
						{"customerId":"%s","currency":"EUR","items":[{"sku":"DEMO-1","quantity":1,"unitPrice":%s}]}"""
					.formatted(demo.customer(), demo.price())))
				.build(), HttpResponse.BodyHandlers.ofString());
			if (placed.statusCode() != 202) {
				return demo.customer() + ": not accepted (" + placed.statusCode() + "): " + placed.body();
			}
			String location = placed.headers().firstValue("Location").orElseThrow();
			String order = awaitFinal(this.orders + location);
			Matcher status = STATUS.matcher(order);
			Matcher reason = REASON.matcher(order);
			String outcome = (status.find() ? status.group(1) : "?") + (reason.find() ? " " + reason.group(1) : "");
			return String.format("%-16s %8s EUR  %-42s -> %-28s notification: %s", demo.customer(), demo.price(),
					"(" + demo.expectation() + ")", outcome, notification(demo.customer(), location));
		}
		catch (IOException ex) {
			return demo.customer() + ": " + ex.getMessage() + " (is the suite running? ./run)";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return demo.customer() + ": interrupted";
		}
	}

	private String awaitFinal(String url) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + OUTCOME_TIMEOUT.toNanos();
		String body = "";
		while (System.nanoTime() < deadline) {
			body = get(url);
			if (!body.contains("\"PENDING_PAYMENT\"")) {
				return body;
			}
			Thread.sleep(200);
		}
		return body;
	}

	private String notification(String customer, String location) throws IOException, InterruptedException {
		String orderId = location.substring(location.lastIndexOf('/') + 1);
		long deadline = System.nanoTime() + OUTCOME_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			String feed = get(this.notifications + "/notifications?customerId=" + customer);
			Matcher subject = Pattern
				.compile("\"orderId\":\"" + orderId + "\",\"customerId\":\"[^\"]*\",\"subject\":\"([^\"]*)\"")
				.matcher(feed);
			if (subject.find()) {
				return subject.group(1);
			}
			Thread.sleep(200);
		}
		return "(none yet)";
	}

	private String get(String url) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
			.body();
	}

	/**
	 * Places the demo orders against the suite that {@code ./run} started.
	 * @param args ignored
	 */
	public static void main(String[] args) {
		SuiteRunner.Settings settings = SuiteRunner.Settings.fromEnvironment(Path.of(""), false, System.getenv());
		System.out.println("Placing one order per outcome ...");
		new Demo("http://localhost:" + settings.orderPort(), "http://localhost:" + settings.notificationPort())
			.run(System.out);
	}

	private record Case(String customer, String price, String expectation) {
	}

}
