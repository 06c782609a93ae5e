package io.ordersaga.order;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long the REST API waits for Kafka.
 *
 * @param sendTimeout how long {@code POST /orders} waits for the broker to acknowledge
 * the order before answering 503
 * @param readYourWritesTimeout how long a read waits for this instance's view to catch up
 * with what is already written
 * @param maxPendingWait how long the orders pending (placed within the payment timeout
 * and not ended, on every instance) may take to end at the rate orders are ending now:
 * past it, {@code POST /orders} is refused with 503 (see {@link OrderAdmission}). Zero
 * keeps the bound at {@code minPendingOrders}
 * @param minPendingOrders how many orders may always be pending, however slowly orders
 * end (the bound while the saga is idle or stalled, and wherever it ends fewer orders in
 * {@code maxPendingWait}): no more than a slow machine ends in that wait, or the floor
 * and not the wait sets how long an accepted order waits (see {@link OrderAdmission})
 * @param maxPendingOrders how many orders may be pending at most, however fast orders end
 * @param maxConcurrentPlacements how many {@code POST /orders} this instance works on at
 * once; one more is refused with 503 at once (see {@link OrderAdmission}). No more than
 * {@code ordersaga.web.max-kafka-waits}, so that a placement never waits for room to wait
 * on Kafka, and fewer than the request threads, so that one is always free to refuse one
 * more
 */
@ConfigurationProperties("ordersaga.orders")
public record OrderProperties(@DefaultValue("10s") Duration sendTimeout,
		@DefaultValue("5s") Duration readYourWritesTimeout, @DefaultValue("500ms") Duration maxPendingWait,
		@DefaultValue("100") int minPendingOrders, @DefaultValue("10000") int maxPendingOrders,
		@DefaultValue("64") int maxConcurrentPlacements) {

}
