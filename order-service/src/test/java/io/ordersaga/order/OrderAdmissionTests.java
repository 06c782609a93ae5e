package io.ordersaga.order;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ordersaga.order.view.OrderProjection;
import io.ordersaga.support.web.SagaWebProperties;
import jakarta.servlet.FilterChain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/** Admission control on its own: its settings, and its bound on orders placed at once. */
class OrderAdmissionTests {

	/** The services' web limits as shipped: 64 requests may wait on Kafka at once. */
	private static final SagaWebProperties WEB = new SagaWebProperties(DataSize.ofKilobytes(64), 64,
			Duration.ofSeconds(5));

	private final OrderProjection projection = mock(OrderProjection.class);

	@ParameterizedTest
	@CsvSource({ "300, 0, 64, max-pending-orders, 0", "0, 300, 64, min-pending-orders, 0",
			"300, 300, 0, max-concurrent-placements, 0", "-1, 300, 64, min-pending-orders, -1",
			"300, -1, 64, max-pending-orders, -1" })
	void refusesToStartWithoutRoomForAnyOrder(int minPendingOrders, int maxPendingOrders, int maxConcurrentPlacements,
			String property, int value) {
		OrderProperties noRoom = properties(Duration.ofMillis(500), minPendingOrders, maxPendingOrders,
				maxConcurrentPlacements);

		assertThatIllegalArgumentException()
			.isThrownBy(() -> new OrderAdmission(this.projection, noRoom, WEB, new SimpleMeterRegistry()))
			.withMessage("ordersaga.orders." + property + " must be at least 1, not " + value
					+ ": with no room, every order would be refused");
	}

	@Test
	void refusesToStartWithANegativeWait() {
		OrderProperties backwards = properties(Duration.ofMillis(-1), 300, 10_000, 64);

		assertThatIllegalArgumentException()
			.isThrownBy(() -> new OrderAdmission(this.projection, backwards, WEB, new SimpleMeterRegistry()))
			.withMessageStartingWith("ordersaga.orders.max-pending-wait must not be negative");
	}

	@ParameterizedTest(name = "{0} pending, {1} ended/s: bound {2}")
	@CsvSource({
			// Idle, starting or stalled: the floor.
			"299, 0, 300, true", "300, 0, 300, false",
			// 1,000 orders ending a second: half a second of them.
			"499, 1000, 500, true", "500, 1000, 500, false",
			// Slower than the floor's wait: the floor still.
			"299, 100, 300, true",
			// Faster than the ceiling allows.
			"9999, 1000000, 10000, true", "10000, 1000000, 10000, false" })
	void takesAsManyOrdersAsTheSagaEndsInTheLongestWait(int pending, double endedPerSecond, int bound, boolean admitted)
			throws Exception {
		given(this.projection.pendingOrders()).willReturn(pending);
		given(this.projection.ordersEndedPerSecond()).willReturn(endedPerSecond);
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		OrderAdmission admission = new OrderAdmission(this.projection,
				properties(Duration.ofMillis(500), 300, 10_000, 64), WEB, registry);

		assertThat(registry.get("orders.pending.bound").gauge().value()).isEqualTo(bound);
		assertThat(post(admission, (request, response) -> {
		}).getStatus()).isEqualTo(admitted ? 200 : 503);
		assertThat(refused(registry))
			.containsExactlyInAnyOrderEntriesOf(Map.of("pending", admitted ? 0.0 : 1.0, "unread", 0.0, "placing", 0.0));
	}

	@Test
	void refusesOnceTheOrdersPlacedHereAndNotReadYetFillTheBound() throws Exception {
		given(this.projection.pendingOrders()).willReturn(0);
		given(this.projection.ordersEndedPerSecond()).willReturn(0.0);
		given(this.projection.unreadPlacements()).willReturn(299, 300);
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		OrderAdmission admission = new OrderAdmission(this.projection, properties(10_000, 64), WEB, registry);

		assertThat(post(admission, (request, response) -> {
		}).getStatus()).isEqualTo(200);
		assertThat(post(admission, (request, response) -> {
		}).getStatus()).isEqualTo(503);
		assertThat(refused(registry))
			.containsExactlyInAnyOrderEntriesOf(Map.of("pending", 0.0, "unread", 1.0, "placing", 0.0));
	}

	/**
	 * The floor is the bound wherever the saga ends fewer orders a second than it takes
	 * to fill it in the longest wait, so it must be no more than a slow machine ends in
	 * that wait. At 300, where twice the saturation rate was offered and 270 to 330
	 * orders a second ended, the floor held the bound at 300 and accepted orders waited
	 * about a second (saga p99 1.6 to 2.1 s).
	 */
	@Test
	void byDefaultTheFloorHoldsNoMoreOrdersThanASlowMachineEndsInTheLongestWait() {
		OrderProperties defaults = new Binder(new MapConfigurationPropertySource()).bindOrCreate("ordersaga.orders",
				OrderProperties.class);
		double slowMachineEndsPerSecond = 200;
		given(this.projection.ordersEndedPerSecond()).willReturn(0.0);
		OrderAdmission admission = new OrderAdmission(this.projection, defaults, WEB, new SimpleMeterRegistry());

		assertThat(admission.pendingBound() / slowMachineEndsPerSecond)
			.isLessThanOrEqualTo(defaults.maxPendingWait().toMillis() / 1000.0);
	}

	@Test
	void aCeilingBelowTheFloorIsTheBoundAtAllTimes() throws Exception {
		given(this.projection.pendingOrders()).willReturn(10);
		given(this.projection.ordersEndedPerSecond()).willReturn(0.0, 1000.0);
		OrderAdmission admission = new OrderAdmission(this.projection, properties(Duration.ofMillis(500), 300, 10, 64),
				WEB, new SimpleMeterRegistry());

		assertThat(admission.pendingBound()).isEqualTo(10);
		assertThat(admission.pendingBound()).isEqualTo(10);
	}

	@Test
	void aWaitOfZeroKeepsTheBoundAtTheFloor() {
		given(this.projection.ordersEndedPerSecond()).willReturn(5000.0);
		OrderAdmission admission = new OrderAdmission(this.projection, properties(Duration.ZERO, 300, 10_000, 64), WEB,
				new SimpleMeterRegistry());

		assertThat(admission.pendingBound()).isEqualTo(300);
	}

	@Test
	void placesNoMoreOrdersAtOnceThanItsBoundAndRefusesTheNextAtOnce() throws Exception {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		OrderAdmission admission = new OrderAdmission(this.projection, properties(300, 2), WEB, registry);
		CountDownLatch placing = new CountDownLatch(2);
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger placed = new AtomicInteger();
		FilterChain slowPlacement = (request, response) -> {
			placing.countDown();
			await(release);
			placed.incrementAndGet();
		};
		try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
			List<Future<MockHttpServletResponse>> first = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				first.add(clients.submit(() -> post(admission, slowPlacement)));
			}
			assertThat(placing.await(10, TimeUnit.SECONDS)).isTrue();

			assertThat(registry.get("orders.placing").gauge().value()).isEqualTo(2);
			MockHttpServletResponse third = post(admission, slowPlacement);
			assertThat(third.getStatus()).isEqualTo(503);
			assertThat(refused(registry))
				.containsExactlyInAnyOrderEntriesOf(Map.of("pending", 0.0, "unread", 0.0, "placing", 1.0));
			assertThat(third.getHeader("Retry-After")).isEqualTo("1");
			assertThat(third.getContentType()).isEqualTo("application/problem+json");
			assertThat(third.getContentAsString()).contains("\"status\":503");
			// Reading is never held back by orders being placed.
			MockHttpServletResponse read = new MockHttpServletResponse();
			admission.doFilter(new MockHttpServletRequest("GET", "/orders"), read, (request, response) -> {
			});
			assertThat(read.getStatus()).isEqualTo(200);

			release.countDown();
			for (Future<MockHttpServletResponse> answer : first) {
				assertThat(answer.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
			}
		}
		assertThat(placed).hasValue(2);
		assertThat(registry.get("orders.placing").gauge().value()).isZero();
	}

	@Test
	void givesItsRoomBackAlsoWhenAPlacementFails() throws Exception {
		OrderAdmission admission = new OrderAdmission(this.projection, properties(300, 1), WEB,
				new SimpleMeterRegistry());
		for (int i = 0; i < 3; i++) {
			assertThatIllegalStateException().isThrownBy(() -> post(admission, (request, response) -> {
				throw new IllegalStateException("no broker");
			}));
		}

		assertThat(post(admission, (request, response) -> {
		}).getStatus()).isEqualTo(200);
	}

	/** The refusals counted, by the bound that refused them. */
	private static Map<String, Double> refused(SimpleMeterRegistry registry) {
		return registry.get("orders.refused")
			.counters()
			.stream()
			.collect(Collectors.toMap((counter) -> counter.getId().getTag("reason"), Counter::count));
	}

	private static MockHttpServletResponse post(OrderAdmission admission, FilterChain chain) throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		admission.doFilter(new MockHttpServletRequest("POST", "/orders"), response, chain);
		return response;
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static OrderProperties properties(int maxPendingOrders, int maxConcurrentPlacements) {
		return properties(Duration.ofMillis(500), 300, maxPendingOrders, maxConcurrentPlacements);
	}

	private static OrderProperties properties(Duration maxPendingWait, int minPendingOrders, int maxPendingOrders,
			int maxConcurrentPlacements) {
		return new OrderProperties(Duration.ofSeconds(10), Duration.ofSeconds(5), maxPendingWait, minPendingOrders,
				maxPendingOrders, maxConcurrentPlacements);
	}

}
