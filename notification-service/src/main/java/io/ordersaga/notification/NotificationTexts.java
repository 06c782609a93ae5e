package io.ordersaga.notification;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

import io.ordersaga.events.CancellationReason;
import io.ordersaga.events.OrderCancelled;
import io.ordersaga.events.OrderConfirmed;
import io.ordersaga.events.PaymentRefunded;
import io.ordersaga.events.SagaEvent;
import org.jspecify.annotations.Nullable;

/**
 * What a customer reads about each outcome of their order, in words rather than codes.
 */
public final class NotificationTexts {

	private NotificationTexts() {
	}

	/**
	 * The notification for an event, if the event is an outcome a customer hears about.
	 * @param event the event
	 * @param orderId the order it concerns
	 * @return the subject and text, or {@code null} for events that notify nobody
	 */
	public static @Nullable Text of(SagaEvent event, String orderId) {
		String order = "order " + orderId.substring(0, 8);
		return switch (event) {
			case OrderConfirmed confirmed -> new Text("Your order is confirmed", "We received your payment of "
					+ money(confirmed.total(), confirmed.currency()) + ". Your " + order + " is confirmed.");
			case OrderCancelled cancelled -> new Text("Your order was cancelled",
					"Your " + order + " of " + money(cancelled.total(), cancelled.currency()) + " was cancelled: "
							+ reason(cancelled.reason(), cancelled.total(), cancelled.currency()) + ".");
			case PaymentRefunded refunded ->
				new Text("Your payment was refunded", "We refunded " + money(refunded.amount(), refunded.currency())
						+ " to your account for your cancelled " + order + ".");
			default -> null;
		};
	}

	static String reason(CancellationReason reason, BigDecimal total, Currency currency) {
		return switch (reason.code()) {
			case "INSUFFICIENT_FUNDS" -> "your account balance did not cover " + money(total, currency);
			case "UNKNOWN_CUSTOMER" -> "we could not find a payment account for you";
			case "CURRENCY_MISMATCH" -> "your account is kept in another currency than " + currency.getCurrencyCode();
			case "PAYMENT_TIMEOUT" -> "we did not receive your payment in time";
			default -> "it could not be completed (" + reason.code() + ")";
		};
	}

	private static String money(BigDecimal amount, Currency currency) {
		return amount.setScale(currency.getDefaultFractionDigits(), RoundingMode.HALF_EVEN).toPlainString() + " "
				+ currency.getCurrencyCode();
	}

	/**
	 * A notification's words.
	 *
	 * @param subject a one-line summary
	 * @param text the message
	 */
	public record Text(String subject, String text) {
	}

}
