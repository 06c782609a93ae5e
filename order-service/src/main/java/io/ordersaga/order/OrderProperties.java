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
 * @param maxPendingOrders how many orders may be pending (placed within the payment
 * timeout and not ended, on every instance) before {@code POST /orders} is refused with
 * 503 (see {@link OrderAdmission})
 * @param maxConcurrentPlacements how many {@code POST /orders} this instance works on at
 * once; one more is refused with 503 at once (see {@link OrderAdmission}). No more than
 * {@code ordersaga.web.max-kafka-waits}, so that a placement never waits for room to wait
 * on Kafka, and fewer than the request threads, so that one is always free to refuse one
 * more
 */
@ConfigurationProperties("ordersaga.orders")
public record OrderProperties(@DefaultValue("10s") Duration sendTimeout,
		@DefaultValue("5s") Duration readYourWritesTimeout, @DefaultValue("300") int maxPendingOrders,
		@DefaultValue("64") int maxConcurrentPlacements) {

}
