package io.ordersaga.order.saga;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the saga waits for payment-service.
 *
 * @param paymentTimeout how long an order may stay pending before it is cancelled with
 * {@code PAYMENT_TIMEOUT}
 * @param timeoutCheckInterval how often pending orders are checked against their deadline
 */
@ConfigurationProperties("ordersaga.saga")
public record SagaProperties(@DefaultValue("30s") Duration paymentTimeout,
		@DefaultValue("1s") Duration timeoutCheckInterval) {

}
