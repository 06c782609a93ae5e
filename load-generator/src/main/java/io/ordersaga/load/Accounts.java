package io.ordersaga.load;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Gives the load's customers money before the orders start. */
final class Accounts {

	/** The most one credit may be; plenty for any run. */
	static final BigDecimal CREDIT = new BigDecimal("999999.99");

	private static final Duration TIMEOUT = Duration.ofMinutes(2);

	private static final int BATCH = 20;

	private static final Pattern BALANCE = Pattern.compile("\"balance\":\"?([0-9.]+)");

	private final HttpClient http;

	private final String paymentsUrl;

	Accounts(HttpClient http, String paymentsUrl) {
		this.http = http;
		this.paymentsUrl = paymentsUrl;
	}

	/**
	 * Credits every customer and waits until each balance shows it, so that no order is
	 * charged before its account's credit.
	 * @param customers the customers
	 */
	void credit(List<String> customers) {
		// A few at a time: hundreds of new connections at once are more than a service's
		// accept queue takes.
		for (int from = 0; from < customers.size(); from += BATCH) {
			CompletableFuture
				.allOf(customers.subList(from, Math.min(customers.size(), from + BATCH))
					.stream()
					.map(this::credit)
					.toArray(CompletableFuture[]::new))
				.orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
				.join();
		}
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		for (String customer : customers) {
			while (!credited(customer)) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("The credit of " + customer + " did not show within " + TIMEOUT);
				}
				sleep();
			}
		}
	}

	private CompletableFuture<Void> credit(String customer) {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create(this.paymentsUrl + "/accounts/" + customer + "/credits"))
			.header("Content-Type", "application/json")
			.header("Idempotency-Key", "load-credit-" + customer)
			.POST(HttpRequest.BodyPublishers.ofString("{\"amount\":" + CREDIT.toPlainString() + "}"))
			.build();
		return this.http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenAccept((response) -> {
			if (response.statusCode() != 200 && response.statusCode() != 202) {
				throw new IllegalStateException(
						"Crediting " + customer + " answered " + response.statusCode() + ": " + response.body());
			}
		});
	}

	private boolean credited(String customer) {
		try {
			HttpResponse<String> response = this.http.send(
					HttpRequest.newBuilder(URI.create(this.paymentsUrl + "/accounts/" + customer)).build(),
					HttpResponse.BodyHandlers.ofString());
			Matcher balance = BALANCE.matcher(response.body());
			return response.statusCode() == 200 && balance.find() && new BigDecimal(balance.group(1)).signum() > 0;
		}
		catch (java.io.IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void sleep() {
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
