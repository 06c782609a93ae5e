package io.ordersaga.load;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.ordersaga.runner.IssuerTokens;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.jspecify.annotations.Nullable;

/**
 * One load run against a running suite: credits the customers' accounts, sends orders as
 * the plan says, matches each accepted order with its final event, and reports every
 * second. The mix is realistic: nine orders in ten are for customers who can pay, one in
 * twenty costs more than any balance, one in twenty is for a customer without an account.
 */
public final class LoadRun {

	private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(15);

	private static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(10);

	/** Beyond this many orders in flight an open-model run counts a send as failed. */
	private static final int MAX_IN_FLIGHT = 20_000;

	/** How many customers without an account a run's orders name. */
	private static final int NOBODIES = 20;

	private static final Pattern ORDER_ID = Pattern.compile("\"orderId\":\"([0-9a-f-]{36})\"");

	private final LoadPlan plan;

	private final PrintStream progress;

	private final String runId = UUID.randomUUID().toString().substring(0, 8);

	/** Each instance of order-service, sent every n-th order of n. */
	private final List<Http> orderServices;

	private final Http paymentService;

	/** In secure mode, tokens for the operator and this run's customers. */
	private final @Nullable IssuerTokens tokens;

	/** Sends each order of an open-model run on a virtual thread of its own. */
	private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();

	private final Recorder postLatency = new Recorder(MAX_LATENCY_MICROS, 3);

	private final Recorder refusalLatency = new Recorder(MAX_LATENCY_MICROS, 3);

	private final Recorder endToEndLatency = new Recorder(MAX_LATENCY_MICROS, 3);

	/**
	 * Per order id: its intended send time, or the time its end was seen if that came
	 * first.
	 */
	private final Map<UUID, long[]> orders = new ConcurrentHashMap<>();

	private final LongAdder sent = new LongAdder();

	private final LongAdder accepted = new LongAdder();

	private final LongAdder completed = new LongAdder();

	private final AtomicLong inFlight = new AtomicLong();

	private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();

	private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

	private volatile long lastEnd;

	public LoadRun(LoadPlan plan, PrintStream progress) {
		this.plan = plan;
		this.progress = progress;
		this.orderServices = plan.target()
			.ordersUrls()
			.stream()
			.map((url) -> new Http(url, CONNECT_TIMEOUT, REQUEST_TIMEOUT))
			.toList();
		this.paymentService = new Http(plan.target().paymentsUrl(), CONNECT_TIMEOUT, REQUEST_TIMEOUT);
		SecureAccess secure = plan.target().secure();
		this.tokens = (secure != null) ? secure.tokens() : null;
	}

	/**
	 * Runs the plan.
	 * @return what it measured
	 */
	public LoadResult run() {
		try {
			// Each service is asked first, so that a suite not started (or another
			// address
			// meant) is one clear sentence before anything is credited or sent.
			for (int i = 0; i < this.orderServices.size(); i++) {
				answers(this.orderServices.get(i), "order-service", this.plan.target().ordersUrls().get(i),
						"--orders-url");
			}
			answers(this.paymentService, "payment-service", this.plan.target().paymentsUrl(), "--payments-url");
			signIn();
			new Accounts(this.paymentService, (this.tokens != null) ? this.tokens.bearer("operator") : null)
				.credit(customers());
			try (OutcomeWatcher watcher = new OutcomeWatcher(this.plan.target().bootstrapServers(),
					this.plan.target().kafkaClient(), KAFKA_TIMEOUT, this::ended)) {
				return measure();
			}
		}
		finally {
			this.senders.shutdownNow();
			this.orderServices.forEach(Http::close);
			this.paymentService.close();
		}
	}

	private LoadResult measure() {
		long start = System.nanoTime();
		double cpuBefore = machineCpuSeconds();
		Timeline timeline = new Timeline(start);
		Thread reporter = Thread.ofPlatform().daemon().name("load-progress").start(() -> report(timeline));
		if (this.plan.mode() == LoadPlan.Mode.OPEN) {
			sendAtFixedRate(start);
		}
		else {
			sendAsFastAsAnswered(start);
		}
		long sendingEnded = System.nanoTime();
		drain();
		double cpu = machineCpuSeconds() - cpuBefore;
		reporter.interrupt();
		joinQuietly(reporter);
		timeline.tick(this.postLatency.getIntervalHistogram(), this.endToEndLatency.getIntervalHistogram(),
				this.accepted.sum(), this.completed.sum());
		return result(start, sendingEnded, timeline, cpu);
	}

	/**
	 * The CPU time the whole machine has spent so far (every process and the kernel: a
	 * saga's cost where broker, services and generator share the cores, none of them left
	 * out), in seconds; Linux counts it in ticks of 1/100 s.
	 */
	private static double machineCpuSeconds() {
		return QuietMachine.procStat().map((times) -> times.busy() / 100.0).orElse(Double.NaN);
	}

	private static void answers(Http service, String name, String url, String option) {
		try {
			// The API's own probe: Actuator itself is on a port of its own.
			service.get("/readyz");
		}
		catch (IOException ex) {
			throw new SuiteUnreachableException(name + " does not answer at " + url + " (" + ex.getMessage()
					+ "). Start the suite with ./run, or point " + option + " at a running one.", ex);
		}
	}

	/**
	 * In secure mode, gets every customer's token before the first order, so that no
	 * order's latency includes a sign-in (two password hashes at the issuer, about 150
	 * ms).
	 */
	private void signIn() {
		IssuerTokens tokens = this.tokens;
		if (tokens == null) {
			return;
		}
		List<String> everyone = new ArrayList<>(customers());
		for (int i = 0; i < NOBODIES; i++) {
			everyone.add(nobody(i));
		}
		long start = System.nanoTime();
		// As many at once as the issuer has cores to hash with, about.
		try (ExecutorService signing = Executors.newFixedThreadPool(4)) {
			List<Future<?>> signedIn = everyone.stream()
				.<Future<?>>map((customer) -> signing.submit(() -> bearer(customer)))
				.toList();
			for (Future<?> customer : signedIn) {
				customer.get();
			}
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime : new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		this.progress.printf("Signed in %d customers at %s in %.1f s%n", everyone.size(),
				Objects.requireNonNull(this.plan.target().secure()).issuer(), (System.nanoTime() - start) / 1e9);
	}

	/**
	 * A customer's {@code Authorization} header in secure mode; none in the open mode.
	 */
	private @Nullable String bearer(String customer) {
		IssuerTokens tokens = this.tokens;
		return (tokens != null) ? tokens.bearer(customer, SecureAccess.CUSTOMERS_PASSWORD) : null;
	}

	private List<String> customers() {
		List<String> customers = new ArrayList<>();
		for (int i = 0; i < this.plan.customers(); i++) {
			customers.add("load-" + this.runId + "-" + i);
		}
		return customers;
	}

	private void sendAtFixedRate(long start) {
		long interval = TimeUnit.SECONDS.toNanos(1) / this.plan.rate();
		long end = start + this.plan.duration().toNanos();
		SplittableRandom random = new SplittableRandom(this.plan.label().hashCode());
		for (long i = 0;; i++) {
			long intended = start + i * interval;
			if (intended >= end) {
				return;
			}
			long wait = intended - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			if (this.inFlight.get() >= MAX_IN_FLIGHT) {
				this.sent.increment();
				failed("client backlog over " + MAX_IN_FLIGHT);
				continue;
			}
			long order = i;
			String customer = customer(order);
			String body = body(order, customer, random);
			this.senders.execute(() -> send(order, intended, customer, body));
		}
	}

	private void sendAsFastAsAnswered(long start) {
		long end = start + this.plan.duration().toNanos();
		boolean waitsWhenRefused = this.plan.mode() == LoadPlan.Mode.MAX;
		AtomicLong next = new AtomicLong();
		try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int c = 0; c < this.plan.concurrency(); c++) {
				SplittableRandom random = new SplittableRandom(c);
				clients.submit(() -> {
					while (System.nanoTime() < end) {
						long i = next.getAndIncrement();
						String customer = customer(i);
						long retryAfter = send(i, System.nanoTime(), customer, body(i, customer, random));
						if (waitsWhenRefused && retryAfter > 0) {
							long wait = (long) (TimeUnit.SECONDS.toNanos(retryAfter) * (1 + random.nextDouble() / 2));
							LockSupport.parkNanos(Math.min(wait, end - System.nanoTime()));
						}
					}
				});
			}
		}
	}

	/**
	 * Sends one order and waits for the answer.
	 * @return how many seconds a refusal asks the client to wait before its next order
	 * (one if it does not say), or zero
	 */
	private long send(long i, long intended, String customer, String body) {
		this.sent.increment();
		this.inFlight.incrementAndGet();
		Http.Response response;
		try {
			response = post(this.orderServices, i, this.plan.keyed() ? this.runId + "-" + i : null, body,
					bearer(customer));
		}
		catch (IOException ex) {
			answered(intended);
			this.inFlight.decrementAndGet();
			failed(ex.getClass().getSimpleName());
			return 0;
		}
		long latency = answered(intended);
		if (response.status() == 503) {
			this.refusalLatency.recordValue(latency);
		}
		Matcher orderId = ORDER_ID.matcher(response.body());
		if (response.status() == 202 && orderId.find()) {
			this.accepted.increment();
			accepted(UUID.fromString(orderId.group(1)), intended);
			return 0;
		}
		this.inFlight.decrementAndGet();
		failed((response.status() != 202) ? "HTTP " + response.status() : "202 without an order id");
		return (response.status() == 503) ? Math.max(1, response.retryAfterSeconds()) : 0;
	}

	/**
	 * Sends an order to the instance of order-service whose turn it is, or, where that
	 * one refuses the connection (it is down, and nothing was sent), to the next, as a
	 * load balancer does.
	 */
	static Http.Response post(List<Http> orderServices, long i, @Nullable String idempotencyKey, String body,
			@Nullable String authorization) throws IOException {
		int instances = orderServices.size();
		for (int attempt = 0;; attempt++) {
			Http instance = orderServices.get((int) ((i + attempt) % instances));
			try {
				return instance.post("/orders", idempotencyKey, body, authorization);
			}
			catch (ConnectException ex) {
				if (attempt + 1 == instances) {
					throw ex;
				}
			}
		}
	}

	/** Records the latency of an answer, and returns it in microseconds. */
	private long answered(long intended) {
		long micros = Math.min(MAX_LATENCY_MICROS, TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - intended));
		this.postLatency.recordValue(micros);
		return micros;
	}

	private String customer(long i) {
		return ((i % 20) == 13) ? nobody((i / 20) % NOBODIES)
				: "load-" + this.runId + "-" + (i % this.plan.customers());
	}

	/**
	 * One of the run's customers without an account: a few, used in turn, each signed in
	 * once in secure mode.
	 */
	private String nobody(long n) {
		return "load-" + this.runId + "-nobody-" + n;
	}

	/**
	 * The order to send: one in twenty costs more than any balance, one in twenty is for
	 * a customer without an account ({@link #customer}).
	 */
	private static String body(long i, String customer, SplittableRandom random) {
		String item = ((i % 20) == 7) ? "{\"sku\":\"LOAD-BIG\",\"quantity\":1000,\"unitPrice\":999999.99}"
				: "{\"sku\":\"LOAD-" + (i % 50) + "\",\"quantity\":1,\"unitPrice\":" + (1 + random.nextInt(50)) + "."
						+ cents(random.nextInt(100)) + "}";
		return "{\"customerId\":\"" + customer + "\",\"currency\":\"EUR\",\"items\":[" + item + "]}";
	}

	private static String cents(int cents) {
		return (cents < 10) ? "0" + cents : String.valueOf(cents);
	}

	/** Matches an accepted order with its end, whichever of the two is known first. */
	private void accepted(UUID orderId, long intended) {
		this.orders.compute(orderId, (id, known) -> {
			if (known == null) {
				return new long[] { intended, Long.MIN_VALUE };
			}
			recordEnd(intended, known[1]);
			return null;
		});
	}

	private void ended(UUID orderId, String outcome, long observed) {
		this.outcomes.computeIfAbsent(outcome, (name) -> new LongAdder()).increment();
		this.orders.compute(orderId, (id, known) -> {
			if (known == null) {
				return new long[] { Long.MIN_VALUE, observed };
			}
			if (known[0] != Long.MIN_VALUE) {
				recordEnd(known[0], observed);
				return null;
			}
			return known;
		});
	}

	private void recordEnd(long intended, long observed) {
		this.endToEndLatency
			.recordValue(Math.max(0, Math.min(MAX_LATENCY_MICROS, TimeUnit.NANOSECONDS.toMicros(observed - intended))));
		this.completed.increment();
		this.inFlight.decrementAndGet();
		this.lastEnd = observed;
	}

	private void failed(String kind) {
		this.errors.computeIfAbsent(kind, (name) -> new LongAdder()).increment();
	}

	/** Waits until every accepted order has ended, or the drain time is over. */
	private void drain() {
		long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
		while (this.inFlight.get() > 0 && System.nanoTime() < deadline) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
		}
	}

	private void report(Timeline timeline) {
		while (!Thread.currentThread().isInterrupted()) {
			long next = timeline.nextTick();
			long wait = next - System.nanoTime();
			if (wait > 0) {
				LockSupport.parkNanos(wait);
			}
			if (Thread.currentThread().isInterrupted()) {
				return;
			}
			LoadResult.Second second = timeline.tick(this.postLatency.getIntervalHistogram(),
					this.endToEndLatency.getIntervalHistogram(), this.accepted.sum(), this.completed.sum());
			this.progress.printf(
					"[%s %3ds] accepted %5d/s  completed %5d/s  in flight %6d  errors %5d  "
							+ "POST p99 %7.1f ms  saga p50 %7.1f ms  p99 %7.1f ms%n",
					this.plan.label(), second.second(), second.accepted(), second.completed(), this.inFlight.get(),
					errorCount(), second.postP99(), second.endToEndP50(), second.endToEndP99());
		}
	}

	private long errorCount() {
		return this.errors.values().stream().mapToLong(LongAdder::sum).sum();
	}

	private LoadResult result(long start, long sendingEnded, Timeline timeline, double cpuSeconds) {
		double sending = (sendingEnded - start) / 1e9;
		long ends = this.completed.sum();
		double completing = ((ends > 0) ? this.lastEnd - start : sendingEnded - start) / 1e9;
		LoadResult.Latency refusals = LoadResult.Latency.of(this.refusalLatency.getIntervalHistogram());
		double cpuPerSaga = (!Double.isNaN(cpuSeconds) && ends > 0) ? Math.round(1e5 * cpuSeconds / ends) / 100.0 : -1;
		return new LoadResult(this.plan.label(), this.plan.mode().name(), this.plan.rate(), this.plan.concurrency(),
				round(sending), this.sent.sum(), this.accepted.sum(), round(this.accepted.sum() / sending),
				round(ends / completing), counts(this.outcomes), counts(this.errors), Math.max(0, this.inFlight.get()),
				LoadResult.Latency.of(timeline.post), refusals, LoadResult.Latency.of(timeline.endToEnd), cpuPerSaga,
				timeline.seconds);
	}

	private static Map<String, Long> counts(Map<String, LongAdder> adders) {
		Map<String, Long> counts = new TreeMap<>();
		adders.forEach((name, adder) -> counts.put(name, adder.sum()));
		return counts;
	}

	private static double round(double value) {
		return Math.round(value * 10) / 10.0;
	}

	private static void joinQuietly(Thread thread) {
		try {
			thread.join(Duration.ofSeconds(5));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** The run second by second, and the totals the seconds add up to. */
	private static final class Timeline {

		private final long start;

		private final Histogram post = new Histogram(MAX_LATENCY_MICROS, 3);

		private final Histogram endToEnd = new Histogram(MAX_LATENCY_MICROS, 3);

		private final List<LoadResult.Second> seconds = new ArrayList<>();

		private long acceptedBefore;

		private long completedBefore;

		Timeline(long start) {
			this.start = start;
		}

		long nextTick() {
			return this.start + TimeUnit.SECONDS.toNanos(this.seconds.size() + 1);
		}

		synchronized LoadResult.Second tick(Histogram post, Histogram endToEnd, long accepted, long completed) {
			this.post.add(post);
			this.endToEnd.add(endToEnd);
			LoadResult.Second second = new LoadResult.Second(this.seconds.size() + 1, accepted - this.acceptedBefore,
					completed - this.completedBefore, LoadResult.Latency.of(post).p99(),
					LoadResult.Latency.of(endToEnd).p50(), LoadResult.Latency.of(endToEnd).p99());
			this.seconds.add(second);
			this.acceptedBefore = accepted;
			this.completedBefore = completed;
			return second;
		}

	}

}
