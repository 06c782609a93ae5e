package io.ordersaga.order.core;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ordersaga.events.CancellationReason;
import io.ordersaga.events.OrderCancelled;
import io.ordersaga.events.OrderConfirmed;
import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderPlaced;

import org.springframework.stereotype.Component;

/**
 * Counts orders as they are placed and as they end: {@code orders.placed},
 * {@code orders.confirmed} and {@code orders.cancelled} tagged with the reason; and times
 * each saga from its start to its outcome, {@code orders.saga.duration} tagged with the
 * outcome, with a histogram for percentiles across instances (Prometheus'
 * {@code histogram_quantile}). Dead letters are counted where they are written
 * ({@code saga.dead.letters}, service-support).
 */
@Component
public class OrderMetrics {

	private final MeterRegistry registry;

	private final Counter placed;

	private final Counter confirmed;

	private final Timer confirmedSaga;

	private final Timer cancelledSaga;

	public OrderMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.placed = Counter.builder("orders.placed").description("Orders accepted").register(registry);
		this.confirmed = Counter.builder("orders.confirmed").description("Orders paid for").register(registry);
		// Registered before the first saga ends, as the counters above are: a series that
		// appears with its first count hides that count from Prometheus' rate().
		this.confirmedSaga = sagaDuration("confirmed");
		this.cancelledSaga = sagaDuration("cancelled");
		for (CancellationReason reason : List.of(CancellationReason.INSUFFICIENT_FUNDS,
				CancellationReason.UNKNOWN_CUSTOMER, CancellationReason.CURRENCY_MISMATCH,
				CancellationReason.PAYMENT_TIMEOUT)) {
			cancelled(reason);
		}
	}

	/**
	 * Times a saga that has just ended.
	 * @param outcome the event that ended it
	 * @param took from the saga's start (when it learned of the order, or the order's own
	 * time if that is later) to the outcome; a negative time, from clocks apart, counts
	 * as none
	 */
	public void ended(OrderEvent outcome, Duration took) {
		Timer saga = switch (outcome) {
			case OrderConfirmed confirmedOrder -> this.confirmedSaga;
			case OrderCancelled cancelledOrder -> this.cancelledSaga;
			case OrderPlaced placedOrder -> throw new IllegalArgumentException("An order placed ends no saga");
		};
		saga.record(took.isNegative() ? Duration.ZERO : took);
	}

	private Timer sagaDuration(String outcome) {
		return Timer.builder("orders.saga.duration")
			.description("From a saga's start to its outcome")
			.tag("outcome", outcome)
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofMinutes(2))
			.register(this.registry);
	}

	private Counter cancelled(CancellationReason reason) {
		return Counter.builder("orders.cancelled")
			.description("Orders cancelled, by reason")
			.tag("reason", reason.code())
			.register(this.registry);
	}

	/**
	 * Counts an order event this service wrote.
	 * @param event the event
	 */
	public void record(OrderEvent event) {
		switch (event) {
			case OrderPlaced placedOrder -> this.placed.increment();
			case OrderConfirmed confirmedOrder -> this.confirmed.increment();
			case OrderCancelled cancelledOrder -> cancelled(cancelledOrder.reason()).increment();
		}
	}

}
