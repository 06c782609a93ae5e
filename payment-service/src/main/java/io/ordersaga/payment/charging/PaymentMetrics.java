package io.ordersaga.payment.charging;

import java.math.BigDecimal;
import java.util.Currency;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordersaga.events.DeclineReason;

import org.springframework.stereotype.Component;

/**
 * Counts what payment-service decides: {@code payments.charges},
 * {@code payments.declines} by reason, {@code payments.refunds}, the amounts charged and
 * refunded ({@code payments.amount} by kind and currency). Dead letters are counted where
 * they are written ({@code saga.dead.letters}, service-support).
 */
@Component
public class PaymentMetrics {

	private final MeterRegistry registry;

	public PaymentMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	public void charged(BigDecimal amount, Currency currency) {
		this.registry.counter("payments.charges").increment();
		amount("charge", amount, currency);
	}

	public void declined(DeclineReason reason) {
		this.registry.counter("payments.declines", "reason", reason.code()).increment();
	}

	public void refunded(BigDecimal amount, Currency currency) {
		this.registry.counter("payments.refunds").increment();
		amount("refund", amount, currency);
	}

	public void credited(BigDecimal amount, Currency currency) {
		amount("credit", amount, currency);
	}

	private void amount(String kind, BigDecimal amount, Currency currency) {
		DistributionSummary.builder("payments.amount")
			.description("Amounts moved, by kind and currency")
			.tags("kind", kind, "currency", currency.getCurrencyCode())
			.register(this.registry)
			.record(amount.doubleValue());
	}

}
