package io.ordersaga.order.saga;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.UUID;

import io.ordersaga.events.CancellationReason;
import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.OrderCancelled;
import io.ordersaga.events.OrderConfirmed;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.PaymentAuthorized;
import io.ordersaga.events.PaymentDeclined;
import io.ordersaga.events.PaymentEvent;
import io.ordersaga.events.PaymentRefunded;
import io.ordersaga.order.core.OrderStatus;
import org.jspecify.annotations.Nullable;

/**
 * What the saga remembers about one order: enough to decide what a payment outcome or a
 * timeout means, and to write the resulting event. Kept in a state store backed by a
 * changelog topic.
 *
 * @param placedEventId the id of the {@code OrderPlaced} event
 * @param correlationId the saga's correlation id
 * @param customerId who placed the order
 * @param total the order's total
 * @param currency its currency
 * @param deadline when the order is cancelled if no payment outcome arrived
 * @param status where the order is
 * @param traceparent the trace of the order's placement, continued by a timeout
 */
record OrderSaga(UUID placedEventId, UUID correlationId, String customerId, BigDecimal total, Currency currency,
		Instant deadline, OrderStatus status, @Nullable String traceparent) {

	static OrderSaga started(EventEnvelope<OrderPlaced> placed, Instant deadline, @Nullable String traceparent) {
		OrderPlaced order = placed.data();
		return new OrderSaga(placed.id(), placed.correlationId(), order.customerId(), order.total(), order.currency(),
				deadline, OrderStatus.PENDING_PAYMENT, traceparent);
	}

	OrderSaga withStatus(OrderStatus status) {
		return new OrderSaga(this.placedEventId, this.correlationId, this.customerId, this.total, this.currency,
				this.deadline, status, this.traceparent);
	}

	/**
	 * How a payment outcome differs from this order: one is only for the order if it
	 * names the customer who placed it and its total, in its currency.
	 * @param outcome the outcome
	 * @return what differs, or {@code null} if it matches
	 */
	@Nullable String mismatch(PaymentEvent outcome) {
		BigDecimal amount;
		Currency outcomeCurrency;
		switch (outcome) {
			case PaymentAuthorized authorized -> {
				amount = authorized.amount();
				outcomeCurrency = authorized.currency();
			}
			case PaymentDeclined declined -> {
				amount = declined.amount();
				outcomeCurrency = declined.currency();
			}
			case PaymentRefunded refunded -> {
				amount = refunded.amount();
				outcomeCurrency = refunded.currency();
			}
		}
		if (!this.customerId.equals(outcome.customerId())) {
			return "it is for customer " + outcome.customerId() + ", the order is " + this.customerId + "'s";
		}
		if (amount.compareTo(this.total) != 0 || !outcomeCurrency.equals(this.currency)) {
			return "it is for " + amount.toPlainString() + " " + outcomeCurrency.getCurrencyCode() + ", the order for "
					+ this.total.toPlainString() + " " + this.currency.getCurrencyCode();
		}
		return null;
	}

	OrderConfirmed confirmation() {
		return new OrderConfirmed(this.customerId, this.total, this.currency);
	}

	OrderCancelled cancellation(CancellationReason reason) {
		return new OrderCancelled(this.customerId, reason, this.total, this.currency);
	}

}
