package io.ordersaga.order.saga;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the saga waits for payment-service. An order with no payment outcome is cancelled
 * with {@code PAYMENT_TIMEOUT} once it has waited {@code paymentTimeout} and
 * payment-service has said nothing for {@code paymentSilence}, which is how a
 * payment-service that is down or cut off looks. While payment-service keeps answering
 * other orders it is only behind, and the order waits for its answer, up to
 * {@code paymentGrace} past its timeout (see {@link PaymentSilence}).
 *
 * @param paymentTimeout how long an order waits for its payment outcome before it may be
 * cancelled with {@code PAYMENT_TIMEOUT}
 * @param timeoutCheckInterval how often pending orders are checked against their deadline
 * @param paymentSilence how long payment-service must have said nothing (no payment event
 * read by the saga, counted only while the saga itself runs) before an overdue order is
 * cancelled
 * @param paymentGrace how much longer than {@code paymentTimeout} an order waits while
 * payment-service keeps answering others: the bound on waiting for an outcome that never
 * comes, such as that of an order payment-service could not read
 */
@ConfigurationProperties("ordersaga.saga")
public record SagaProperties(@DefaultValue("30s") Duration paymentTimeout,
		@DefaultValue("1s") Duration timeoutCheckInterval, @DefaultValue("30s") Duration paymentSilence,
		@DefaultValue("60s") Duration paymentGrace) {

}
