package io.ordersaga.runner;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.ordersaga.events.CancellationReason;
import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.NotificationSent;
import io.ordersaga.events.OrderCancelled;
import io.ordersaga.events.OrderConfirmed;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.PaymentAuthorized;
import io.ordersaga.events.PaymentRefunded;
import io.ordersaga.events.Topic;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many orders for many customers placed at a steady rate, each retried with its
 * {@code Idempotency-Key} until order-service accepts it, as a careful client does.
 * Orders go on being placed until the faults are over and some more have been placed
 * after them, so every fault hits a suite that is taking orders, however long the
 * services take to come back.
 */
final class OrderRun {

	/**
	 * About 14 orders at the average price of 10.50. The run places at least 700 orders
	 * for 60 customers, and thousands while the restarts take their time, so most
	 * accounts run dry and declined orders are part of the mix.
	 */
	private static final BigDecimal CREDIT = new BigDecimal("150.00");

	private final List<String> customers = new ArrayList<>();

	private final int perSecond;

	/** How many orders are placed after the last fault. */
	private final int afterFaults;

	/** How many orders are placed in all, once the faults are over. */
	private final AtomicInteger orders = new AtomicInteger(Integer.MAX_VALUE);

	private final Map<String, UUID> acceptedByKey = new ConcurrentHashMap<>();

	private final AtomicInteger retried = new AtomicInteger();

	/** When each order was first sent, and when it was accepted. */
	private final Queue<Placement> placements = new ConcurrentLinkedQueue<>();

	/** Answers no retry can change, such as a 4xx. */
	private final Queue<String> refused = new ConcurrentLinkedQueue<>();

	private final SuiteClient client;

	private final String bootstrapServers;

	OrderRun(SuiteClient client, String bootstrapServers, String prefix, int customers, int perSecond,
			int afterFaults) {
		this.client = client;
		this.bootstrapServers = bootstrapServers;
		for (int i = 0; i < customers; i++) {
			this.customers.add(prefix + "-" + i);
		}
		this.perSecond = perSecond;
		this.afterFaults = afterFaults;
	}

	void creditAccounts() {
		this.customers.forEach((customer) -> this.client.credit(customer, CREDIT.toPlainString()));
	}

	void placeOrdersWhile(Runnable faults) {
		Random random = new Random(42);
		ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
		ExecutorService clients = Executors.newFixedThreadPool(32);
		AtomicInteger scheduled = new AtomicInteger();
		pacer.scheduleAtFixedRate(() -> {
			int i = scheduled.get();
			if (i >= this.orders.get()) {
				return;
			}
			scheduled.incrementAndGet();
			String customer = this.customers.get(i % this.customers.size());
			String price = BigDecimal.valueOf(100 + random.nextInt(1900), 2).toPlainString();
			clients.submit(() -> placeUntilAccepted(customer, price));
		}, 0, 1_000_000 / this.perSecond, TimeUnit.MICROSECONDS);
		try {
			faults.run();
			// The pacer is the only thread that counts orders up; it stops at this
			// many.
			this.orders.set(scheduled.get() + this.afterFaults);
			await().atMost(Duration.ofMinutes(5))
				.failFast("order-service refused an order", () -> !this.refused.isEmpty())
				.until(() -> accepted() == this.orders.get());
		}
		finally {
			pacer.shutdownNow();
			clients.shutdownNow();
		}
	}

	int accepted() {
		return this.acceptedByKey.size();
	}

	private void placeUntilAccepted(String customer, String price) {
		String key = UUID.randomUUID().toString();
		Instant sent = Instant.now();
		await().atMost(Duration.ofMinutes(4))
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(250))
			.until(() -> placedOrRefused(customer, price, key));
		this.placements.add(new Placement(sent, Instant.now()));
	}

	/**
	 * The longest a client waited, over all its retries, for an order first sent within a
	 * time window to be accepted.
	 * @param from the window's start
	 * @param to its end
	 * @return the longest wait
	 */
	Duration longestPostWait(Instant from, Instant to) {
		return this.placements.stream()
			.filter((placement) -> !placement.sent().isBefore(from) && placement.sent().isBefore(to))
			.map((placement) -> Duration.between(placement.sent(), placement.accepted()))
			.max(Duration::compareTo)
			.orElse(Duration.ZERO);
	}

	/**
	 * The longest time within a window in which no order of the run ended with its
	 * payment's outcome: while orders keep coming, how long the saga stood still. An
	 * order cancelled because its payment did not come in time is no progress.
	 * @param from the window's start
	 * @param to its end
	 * @return the longest gap between two final events (or a bound of the window)
	 */
	Duration longestStandstill(Instant from, Instant to) {
		List<Instant> ends = new ArrayList<>();
		ends.add(from);
		finalEvents(from, to).filter((event) -> !isPaymentTimeout(event))
			.map(EventEnvelope::time)
			.sorted()
			.forEach(ends::add);
		ends.add(to);
		Duration longest = Duration.ZERO;
		for (int i = 1; i < ends.size(); i++) {
			Duration gap = Duration.between(ends.get(i - 1), ends.get(i));
			if (gap.compareTo(longest) > 0) {
				longest = gap;
			}
		}
		return longest;
	}

	/**
	 * One attempt; {@code false} when order-service is down or failing, to try again.
	 */
	private boolean placedOrRefused(String customer, String price, String key) {
		try {
			HttpResponse<String> response = this.client.place(customer, "EUR", price, key);
			if (response.statusCode() == 202) {
				this.acceptedByKey.put(key,
						UUID.fromString(SuiteClient.parse(response.body()).path("orderId").asString()));
				return true;
			}
			if (response.statusCode() < 500) {
				this.refused.add(response.statusCode() + " " + response.body());
				return true;
			}
		}
		catch (IOException ex) {
			// order-service is down: try again, with the same key
		}
		this.retried.incrementAndGet();
		return false;
	}

	void awaitEveryOrderFinal() {
		Set<UUID> ids = Set.copyOf(this.acceptedByKey.values());
		await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).until(() -> {
			Set<UUID> ended = TopicContents.read(this.bootstrapServers, Topic.ORDERS)
				.stream()
				.filter((event) -> event.data() instanceof OrderConfirmed || event.data() instanceof OrderCancelled)
				.map(EventEnvelope::orderId)
				.collect(Collectors.toSet());
			return ended.containsAll(ids);
		});
	}

	/**
	 * Checks what the faults must not have broken: one order per idempotency key, each
	 * ended once, no charge or refund twice, balances equal credits - charges + refunds,
	 * one notification per outcome.
	 * @param faults the faults, for the summary printed
	 */
	void check(String faults) {
		String bootstrap = this.bootstrapServers;
		Set<UUID> ids = Set.copyOf(this.acceptedByKey.values());
		assertThat(ids).as("one order per idempotency key").hasSize(this.orders.get());
		List<EventEnvelope<?>> allOrderEvents = TopicContents.read(bootstrap, Topic.ORDERS);
		// No attempt, however it ended, placed an order the client was not told of.
		assertThat(allOrderEvents.stream()
			.filter((event) -> event.data() instanceof OrderPlaced placed
					&& this.customers.contains(placed.customerId()))
			.map(EventEnvelope::orderId)
			.collect(Collectors.toSet())).as("orders placed for the crash test's customers").isEqualTo(ids);
		Map<UUID, List<EventEnvelope<?>>> orderEvents = byOrder(allOrderEvents, ids);

		Map<UUID, EventEnvelope<?>> endOf = new HashMap<>();
		Map<String, Integer> outcomes = new TreeMap<>();
		for (UUID id : ids) {
			List<EventEnvelope<?>> events = orderEvents.getOrDefault(id, List.of());
			assertThat(events).filteredOn((event) -> event.data() instanceof OrderPlaced).isNotEmpty();
			List<EventEnvelope<?>> ends = events.stream()
				.filter((event) -> event.data() instanceof OrderConfirmed || event.data() instanceof OrderCancelled)
				.toList();
			assertThat(ends).as("final events of order " + id).hasSize(1);
			EventEnvelope<?> end = ends.get(0);
			endOf.put(id, end);
			String outcome = (end.data() instanceof OrderCancelled cancelled) ? "CANCELLED " + cancelled.reason().code()
					: "CONFIRMED";
			outcomes.merge(outcome, 1, Integer::sum);
		}

		// A charge that came after its order was cancelled (payment-service was down
		// past the payment timeout) is refunded once payment-service reads the
		// cancellation, which can be after the order's final event.
		AtomicReference<Money> moneyMoved = new AtomicReference<>();
		await().atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofSeconds(2))
			.untilAsserted(() -> moneyMoved.set(moneyMoved(endOf, TopicContents.read(bootstrap, Topic.PAYMENTS))));
		Money money = moneyMoved.get();
		Set<UUID> notifiable = new HashSet<>(money.refundEventIds());
		endOf.values().forEach((end) -> notifiable.add(end.id()));

		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
			Map<UUID, Long> notified = TopicContents.read(bootstrap, Topic.NOTIFICATIONS)
				.stream()
				.filter((event) -> ids.contains(event.orderId()))
				.collect(Collectors.groupingBy((event) -> ((NotificationSent) event.data()).sourceEventId(),
						Collectors.counting()));
			assertThat(notified.keySet()).containsExactlyInAnyOrderElementsOf(notifiable);
			assertThat(notified.values()).as("notifications per outcome").containsOnly(1L);
		});
		await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
			for (String customer : this.customers) {
				BigDecimal balance = SuiteClient.balance(this.client.account(customer).orElseThrow());
				assertThat(balance).as("balance of " + customer).isEqualByComparingTo(money.balances().get(customer));
				assertThat(balance).as("balance of " + customer).isNotNegative();
			}
		});
		for (String customer : this.customers) {
			JsonNode page = this.client.ordersOf(customer);
			assertThat(page.path("content").valueStream().map((order) -> order.path("status").asString()))
				.as("orders of " + customer)
				.doesNotContain("PENDING_PAYMENT");
		}

		System.out.printf(
				"%s: %d orders accepted (%d POSTs retried), %d ended once each: %s; "
						+ "%d charged, none twice; %d refunded; %d notifications, one per outcome; "
						+ "%d balances equal credits - charges + refunds%n",
				faults, ids.size(), this.retried.get(), endOf.size(), outcomes, money.charges(),
				money.refundEventIds().size(), notifiable.size(), this.customers.size());
	}

	/**
	 * Checks each order's charges and refunds against its outcome: a confirmed order
	 * charged once and never refunded, a cancelled one refunded for each charge.
	 * @param endOf each order's final event
	 * @param payments the events on {@code payments}
	 * @return the money moved, and the balances it leaves
	 */
	private Money moneyMoved(Map<UUID, EventEnvelope<?>> endOf, List<EventEnvelope<?>> payments) {
		Map<UUID, List<EventEnvelope<?>>> paymentEvents = byOrder(payments, endOf.keySet());
		Map<String, BigDecimal> balances = new HashMap<>();
		this.customers.forEach((customer) -> balances.put(customer, CREDIT));
		Set<UUID> refundEventIds = new HashSet<>();
		int charges = 0;
		for (Map.Entry<UUID, EventEnvelope<?>> order : endOf.entrySet()) {
			UUID id = order.getKey();
			List<EventEnvelope<?>> events = paymentEvents.getOrDefault(id, List.of());
			List<PaymentAuthorized> authorized = events.stream()
				.filter((event) -> event.data() instanceof PaymentAuthorized)
				.map((event) -> (PaymentAuthorized) event.data())
				.toList();
			List<EventEnvelope<?>> refunded = events.stream()
				.filter((event) -> event.data() instanceof PaymentRefunded)
				.toList();
			assertThat(authorized).as("charges of order " + id).hasSizeLessThanOrEqualTo(1);
			if (order.getValue().data() instanceof OrderConfirmed) {
				assertThat(authorized).as("charges of confirmed order " + id).hasSize(1);
				assertThat(refunded).as("refunds of confirmed order " + id).isEmpty();
			}
			else {
				assertThat(refunded).as("refunds of cancelled order " + id).hasSameSizeAs(authorized);
			}
			for (PaymentAuthorized charge : authorized) {
				balances.merge(charge.customerId(), charge.amount().negate(), BigDecimal::add);
				charges++;
			}
			for (EventEnvelope<?> refund : refunded) {
				PaymentRefunded money = (PaymentRefunded) refund.data();
				balances.merge(money.customerId(), money.amount(), BigDecimal::add);
				refundEventIds.add(refund.id());
			}
		}
		return new Money(balances, charges, refundEventIds);
	}

	/**
	 * The money the crash test's orders moved.
	 *
	 * @param balances each customer's expected balance
	 * @param charges how many orders were charged
	 * @param refundEventIds the ids of the refunds
	 */
	private record Money(Map<String, BigDecimal> balances, int charges, Set<UUID> refundEventIds) {

	}

	/**
	 * How many of the run's orders were cancelled within a window because their payment
	 * did not come in time.
	 * @param from the window's start
	 * @param to its end
	 * @return the count
	 */
	long paymentTimeouts(Instant from, Instant to) {
		return finalEvents(from, to).filter(OrderRun::isPaymentTimeout).count();
	}

	private Stream<EventEnvelope<?>> finalEvents(Instant from, Instant to) {
		Set<UUID> ids = Set.copyOf(this.acceptedByKey.values());
		return TopicContents.read(this.bootstrapServers, Topic.ORDERS)
			.stream()
			.filter((event) -> (event.data() instanceof OrderConfirmed || event.data() instanceof OrderCancelled)
					&& ids.contains(event.orderId()) && !event.time().isBefore(from) && event.time().isBefore(to));
	}

	private static boolean isPaymentTimeout(EventEnvelope<?> event) {
		return event.data() instanceof OrderCancelled cancelled
				&& cancelled.reason().equals(CancellationReason.PAYMENT_TIMEOUT);
	}

	/**
	 * One order's placement.
	 *
	 * @param sent when it was first sent
	 * @param accepted when order-service accepted it
	 */
	private record Placement(Instant sent, Instant accepted) {

	}

	private static Map<UUID, List<EventEnvelope<?>>> byOrder(List<EventEnvelope<?>> events, Set<UUID> ids) {
		return events.stream()
			.filter((event) -> ids.contains(event.orderId()))
			.collect(Collectors.groupingBy(EventEnvelope::orderId));
	}

}
