package io.ordersaga.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/** Gives the load's customers money before the orders start. */
final class Accounts {

	/** The most one credit may be; plenty for any run. */
	static final BigDecimal CREDIT = new BigDecimal("999999.99");

	private static final Duration TIMEOUT = Duration.ofMinutes(2);

	private static final int BATCH = 20;

	private static final Pattern BALANCE = Pattern.compile("\"balance\":\"?([0-9.]+)");

	private final Http paymentService;

	private final @Nullable String operator;

	Accounts(Http paymentService) {
		this(paymentService, null);
	}

	/**
	 * Credits accounts as someone may.
	 * @param paymentService payment-service
	 * @param operator the operator's {@code Authorization} header in secure mode, where
	 * crediting and reading any account is theirs; {@code null} in the open mode
	 */
	Accounts(Http paymentService, @Nullable String operator) {
		this.paymentService = paymentService;
		this.operator = operator;
	}

	/**
	 * Credits every customer and waits until each balance shows it, so that no order is
	 * charged before its account's credit.
	 * @param customers the customers
	 */
	void credit(List<String> customers) {
		// A few at a time: hundreds of new connections at once are more than a service's
		// accept queue takes.
		try (ExecutorService crediting = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int from = 0; from < customers.size(); from += BATCH) {
				List<Future<?>> batch = customers.subList(from, Math.min(customers.size(), from + BATCH))
					.stream()
					.<Future<?>>map((customer) -> crediting.submit(() -> credit(customer)))
					.toList();
				for (Future<?> credit : batch) {
					await(credit);
				}
			}
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

	private void credit(String customer) {
		Http.Response response;
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		do {
			try {
				// The key makes a retry after a 503 credit once.
				response = this.paymentService.post("/accounts/" + customer + "/credits", "load-credit-" + customer,
						"{\"amount\":" + CREDIT.toPlainString() + "}", this.operator);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Crediting " + customer + " failed: " + ex.getMessage(), ex);
			}
			if (response.status() == 503) {
				sleep();
			}
		}
		while (response.status() == 503 && System.nanoTime() < deadline);
		if (response.status() != 200 && response.status() != 202) {
			throw new IllegalStateException(
					"Crediting " + customer + " answered " + response.status() + ": " + response.body());
		}
	}

	private boolean credited(String customer) {
		try {
			Http.Response response = this.paymentService.get("/accounts/" + customer, this.operator);
			Matcher balance = BALANCE.matcher(response.body());
			return response.status() == 200 && balance.find() && new BigDecimal(balance.group(1)).signum() > 0;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void await(Future<?> credit) {
		try {
			credit.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime : new IllegalStateException(ex);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("A credit was not answered within " + TIMEOUT, ex);
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
