package io.ordersaga.order.core;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordersaga.events.OrderCancelled;
import io.ordersaga.events.OrderConfirmed;
import io.ordersaga.events.OrderEvent;
import io.ordersaga.events.OrderPlaced;

import org.springframework.stereotype.Component;

/**
 * Counts orders as they are placed and as they end: {@code orders.placed},
 * {@code orders.confirmed} and {@code orders.cancelled} tagged with the reason. Dead
 * letters are counted where they are written ({@code saga.dead.letters},
 * service-support).
 */
@Component
public class OrderMetrics {

	private final MeterRegistry registry;

	private final Counter placed;

	private final Counter confirmed;

	public OrderMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.placed = Counter.builder("orders.placed").description("Orders accepted").register(registry);
		this.confirmed = Counter.builder("orders.confirmed").description("Orders paid for").register(registry);
	}

	/**
	 * Counts an order event this service wrote.
	 * @param event the event
	 */
	public void record(OrderEvent event) {
		switch (event) {
			case OrderPlaced placedOrder -> this.placed.increment();
			case OrderConfirmed confirmedOrder -> this.confirmed.increment();
			case OrderCancelled cancelled -> Counter.builder("orders.cancelled")
				.description("Orders cancelled, by reason")
				.tag("reason", cancelled.reason().code())
				.register(this.registry)
				.increment();
		}
	}

}
