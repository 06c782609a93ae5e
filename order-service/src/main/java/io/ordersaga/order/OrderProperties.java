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
 */
@ConfigurationProperties("ordersaga.orders")
public record OrderProperties(@DefaultValue("10s") Duration sendTimeout,
		@DefaultValue("5s") Duration readYourWritesTimeout) {

}
