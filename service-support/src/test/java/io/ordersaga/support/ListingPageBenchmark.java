package io.ordersaga.support;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Not a test (its name keeps it out of the test run): measures how long a page of a
 * listing takes as the store fills with ids added and taken off again, as order-service's
 * listing of each customer's pending orders is. Half of the orders are one customer's;
 * each order is taken off the listing 300 orders after it was added, with its view
 * written again, and the changes are committed 500 orders at a time. Every 100,000 orders
 * it prints the median of 201 pages of that customer's pending orders (a page that is not
 * full, so it reads to the end of the customer's keys), and of another customer's, who
 * places one order in 200. Run with:
 *
 * <pre>
 * ./mvnw -pl service-support test -Dtest=ListingPageBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * {@code -Dorders=} sizes it (600,000 unless set).
 */
class ListingPageBenchmark {

	private static final int STILL_PENDING = 300;

	@Test
	void pageOfAListingAsItsIdsComeAndGo() {
		TopicPartition partition = new TopicPartition("orders", 0);
		int orders = Integer.getInteger("orders", 600_000);
		try (ReadModelStore store = ReadModelStore.temporary("listing-page-benchmark")) {
			ReadModelStore.Table<View> views = store.table('o', View.class);
			ReadModelStore.Listings pending = store.listings('p');
			ArrayDeque<Listed> listed = new ArrayDeque<>();
			String lines = "x".repeat(200);
			for (int order = 1; order <= orders; order++) {
				Listed placed = new Listed((order % 2 == 0) ? "heavy" : "customer-" + (order % 200),
						Instant.ofEpochMilli(1_700_000_000_000L + order), UUID.randomUUID());
				views.put(placed.id(), new View(placed.customer(), "PENDING_PAYMENT", placed.time(), lines));
				pending.add(placed.customer(), placed.time(), placed.id());
				listed.add(placed);
				if (listed.size() > STILL_PENDING) {
					Listed ended = listed.poll();
					pending.remove(ended.customer(), ended.time(), ended.id());
					views.put(ended.id(), new View(ended.customer(), "CONFIRMED", ended.time(), lines));
				}
				if (order % 500 == 0) {
					store.commit(Map.of(partition, (long) order));
				}
				if (order % 100_000 == 0) {
					System.out.printf(
							"listing page after %,d orders: %.1f µs for the customer with half of them, "
									+ "%.1f µs for one with %,d%n",
							order, medianMicros(() -> pending.page("heavy", 0, 1000)),
							medianMicros(() -> pending.page("customer-7", 0, 20)), order / 200);
				}
			}
		}
	}

	private static double medianMicros(Runnable page) {
		long[] nanos = new long[201];
		for (int i = 0; i < nanos.length; i++) {
			long start = System.nanoTime();
			page.run();
			nanos[i] = System.nanoTime() - start;
		}
		Arrays.sort(nanos);
		return nanos[nanos.length / 2] / 1000.0;
	}

	record View(String customer, String status, Instant time, String lines) {
	}

	record Listed(String customer, Instant time, UUID id) {
	}

}
