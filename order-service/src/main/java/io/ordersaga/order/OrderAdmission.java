package io.ordersaga.order;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordersaga.order.view.OrderProjection;
import io.ordersaga.support.web.SagaWebProperties;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UrlPathHelper;

/**
 * Admission control: an order is taken only while the saga can finish it well within its
 * payment timeout. While more orders are pending (placed and not yet ended, on every
 * instance, as the projection reads them) than the saga ends in
 * {@code ordersaga.orders.max-pending-wait} at the rate it is ending them now,
 * {@code POST /orders} is answered {@code 503} with {@code Retry-After} at once, before
 * its body is read and before anything is written, so a retry with the same
 * {@code Idempotency-Key} places the order once. Without it the suite took orders faster
 * than it finished them, the line grew by the difference, and payable orders were
 * cancelled with {@code PAYMENT_TIMEOUT} by nothing but the suite's own backlog.
 *
 * <p>
 * The bound follows the rate (Little's law: the line divided by the rate it moves at is
 * the wait of an order joining it), so a faster machine or cluster takes more orders in
 * flight and a slower one fewer, for the same wait. It never goes below
 * {@code ordersaga.orders.min-pending-orders}, which is the bound while the saga is idle,
 * starting or stalled (no orders ending), nor above
 * {@code ordersaga.orders.max-pending-orders}, which bounds what the count holds on the
 * heap. A fixed bound of 300 was right for one machine only: where the saga ended 1,100
 * orders a second, 300 pending orders were a quarter of a second of work and refused
 * orders the saga had room for; where it ended 200, they were a second and a half of
 * waiting. The floor of 100 is what a slow machine ends in the wait: at 300, offered
 * twice what the saga finished on such a machine (300 orders a second), the floor and not
 * the rate set the bound, and accepted orders' p99 was 1.6 to 2.1 s against 0.8 to 0.9 s
 * with 100. Much lower, it locks the bound while an order takes longer than the wait even
 * unhurried, as while the services warm up: at 64, fewer orders ended, the rate fell with
 * them, and the bound stayed at the floor.
 *
 * <p>
 * The orders placed here that the projection has not read yet are held to the same bound
 * on their own ({@link OrderProjection#unreadPlacements()}): an order without a key is
 * answered as soon as the broker has it, and while the projection stood still (a
 * transaction left open on {@code orders}, a stopped world) such orders counted for
 * nothing and a flood of them was taken without bound. Not added to the pending orders:
 * while the projection keeps up, the orders it has not read yet are matched by orders
 * that ended and whose end it has not read yet, so the sum would count the projection's
 * lag twice and take that much from the wait allowed. Orders being written right now are
 * not acknowledged yet, so they are bounded on their own: at most
 * {@code ordersaga.orders.max-concurrent-placements} at once on this instance, and one
 * more is refused the same way. Tomcat's platform threads bound them as well; with
 * virtual threads nothing else does, and a flood ran order-service out of heap. The bound
 * is no more than how many requests may wait on Kafka at once
 * ({@code ordersaga.web.max-kafka-waits}, a warning at start-up says when it is), and
 * fewer than the request threads: with 64 placements, 48 waits and 64 threads, while the
 * projection stood still the placements past 48 waited up to 200 ms each for room to
 * wait, on the threads that should have refused the rest, and refusals queued behind them
 * for as long as the stall.
 *
 * <p>
 * A refusal must cost next to nothing, or refusing a flood of orders takes the cores the
 * saga needs to finish the ones accepted. So this is the first servlet filter, ahead of
 * Spring MVC, tracing and the request metrics, and its answer is written from bytes made
 * once (the problem has the shape of every other). {@code orders.refused} counts them by
 * the bound that refused them ({@code reason}): {@code pending}, the orders not ended
 * yet; {@code unread}, the orders placed here that the projection has not read; or
 * {@code placing}, the orders being placed at once. Their sum alone did not tell an
 * operator, nor a benchmark, whether the saga was behind or the placements were waiting.
 */
@Component
class OrderAdmission implements Filter, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(OrderAdmission.class);

	private static final byte[] REFUSAL = """
			{"detail":"More orders are being processed than order-service takes on at once. Nothing was \
			placed; retry after a second (with the same Idempotency-Key, if you sent one).",\
			"instance":"/orders","status":503,"title":"Too many orders pending"}""".getBytes(StandardCharsets.UTF_8);

	/**
	 * The path as Spring MVC matches it: {@code /orders;x=y} is {@code /orders} to the
	 * controller, so it must be to admission control too.
	 */
	private static final UrlPathHelper PATHS = UrlPathHelper.defaultInstance;

	private final OrderProjection projection;

	private final double maxPendingWaitSeconds;

	private final int minPendingOrders;

	private final int maxPendingOrders;

	private final Semaphore placements;

	private final Counter refusedPending;

	private final Counter refusedUnread;

	private final Counter refusedPlacing;

	OrderAdmission(OrderProjection projection, OrderProperties properties, SagaWebProperties web,
			MeterRegistry registry) {
		this.projection = projection;
		if (properties.maxPendingOrders() < 1) {
			throw new IllegalArgumentException("ordersaga.orders.max-pending-orders must be at least 1, not "
					+ properties.maxPendingOrders() + ": with no room, every order would be refused");
		}
		if (properties.minPendingOrders() < 1) {
			throw new IllegalArgumentException("ordersaga.orders.min-pending-orders must be at least 1, not "
					+ properties.minPendingOrders() + ": with no room, every order would be refused");
		}
		if (properties.maxPendingWait().isNegative()) {
			throw new IllegalArgumentException("ordersaga.orders.max-pending-wait must not be negative, not "
					+ properties.maxPendingWait() + " (zero keeps the bound at ordersaga.orders.min-pending-orders)");
		}
		this.maxPendingOrders = properties.maxPendingOrders();
		// A ceiling below the floor is the bound at all times.
		this.minPendingOrders = Math.min(properties.minPendingOrders(), this.maxPendingOrders);
		this.maxPendingWaitSeconds = properties.maxPendingWait().toNanos() / 1e9;
		int maxConcurrentPlacements = properties.maxConcurrentPlacements();
		if (maxConcurrentPlacements < 1) {
			throw new IllegalArgumentException("ordersaga.orders.max-concurrent-placements must be at least 1, not "
					+ maxConcurrentPlacements + ": with no room, every order would be refused");
		}
		if (maxConcurrentPlacements > web.maxKafkaWaits()) {
			logger.warn("ordersaga.orders.max-concurrent-placements ({}) is above ordersaga.web.max-kafka-waits ({}): "
					+ "while Kafka or the projection is slow, the placements past it wait for room on request threads "
					+ "that should refuse the next order at once", maxConcurrentPlacements, web.maxKafkaWaits());
		}
		this.placements = new Semaphore(maxConcurrentPlacements);
		this.refusedPending = refusedCounter("pending", registry);
		this.refusedUnread = refusedCounter("unread", registry);
		this.refusedPlacing = refusedCounter("placing", registry);
		Gauge.builder("orders.placing", this.placements, (room) -> maxConcurrentPlacements - room.availablePermits())
			.description("POST /orders being worked on by this instance now")
			.register(registry);
		Gauge.builder("orders.pending", projection, OrderProjection::pendingOrders)
			.description("Orders placed within the payment timeout and not ended yet, on every instance")
			.register(registry);
		Gauge.builder("orders.unread", projection, OrderProjection::unreadPlacements)
			.description("Orders this instance placed that its projection has not read yet")
			.register(registry);
		Gauge.builder("orders.pending.bound", this, OrderAdmission::pendingBound)
			.description("How many orders may be pending now before POST /orders is refused")
			.register(registry);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (!(request instanceof HttpServletRequest http && response instanceof HttpServletResponse answer
				&& HttpMethod.POST.matches(http.getMethod())
				&& "/orders".equals(PATHS.getPathWithinApplication(http)))) {
			chain.doFilter(request, response);
			return;
		}
		int bound = pendingBound();
		if (this.projection.pendingOrders() >= bound) {
			refuse(answer, this.refusedPending);
			return;
		}
		if (this.projection.unreadPlacements() >= bound) {
			refuse(answer, this.refusedUnread);
			return;
		}
		if (!this.placements.tryAcquire()) {
			refuse(answer, this.refusedPlacing);
			return;
		}
		try {
			chain.doFilter(request, response);
		}
		finally {
			this.placements.release();
		}
	}

	/**
	 * How many orders may be pending now: as many as end in the longest wait allowed, at
	 * the rate orders are ending now, within the floor and the ceiling.
	 * @return the bound
	 */
	int pendingBound() {
		double byRate = this.projection.ordersEndedPerSecond() * this.maxPendingWaitSeconds;
		return (int) Math.min(this.maxPendingOrders, Math.max(this.minPendingOrders, byRate));
	}

	private static Counter refusedCounter(String reason, MeterRegistry registry) {
		return Counter.builder("orders.refused")
			.description("Orders refused with 503, by the bound that refused them")
			.tag("reason", reason)
			.register(registry);
	}

	private void refuse(HttpServletResponse answer, Counter refused) throws IOException {
		refused.increment();
		answer.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
		answer.setHeader(HttpHeaders.RETRY_AFTER, "1");
		answer.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		answer.setContentLength(REFUSAL.length);
		answer.getOutputStream().write(REFUSAL);
	}

}
