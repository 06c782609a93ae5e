package io.ordersaga.order.view;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.LineItem;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.order.core.OrderStatus;
import org.jspecify.annotations.Nullable;

/**
 * An order as the REST API shows it: its content, where it is in the saga, and the saga's
 * events so far.
 *
 * @param orderId the order's id
 * @param customerId who placed it
 * @param status where it is in the saga
 * @param cancellationReason why it was cancelled, when it was
 * @param items the order lines
 * @param total the sum of the lines
 * @param currency the currency of every amount
 * @param placedAt when it was placed
 * @param placedEventId the id of its {@code OrderPlaced} event
 * @param history the saga's events for this order, oldest first
 */
public record OrderView(UUID orderId, String customerId, OrderStatus status, @Nullable String cancellationReason,
		List<LineItem> items, BigDecimal total, Currency currency, Instant placedAt, UUID placedEventId,
		List<HistoryEntry> history) {

	public OrderView {
		items = List.copyOf(items);
		history = List.copyOf(history);
	}

	/**
	 * A new order, pending payment.
	 * @param placed its {@code OrderPlaced} event
	 * @return the view
	 */
	public static OrderView placed(EventEnvelope<OrderPlaced> placed) {
		OrderPlaced order = placed.data();
		return new OrderView(placed.orderId(), order.customerId(), OrderStatus.PENDING_PAYMENT, null, order.items(),
				order.total(), order.currency(), placed.time(), placed.id(), List.of(HistoryEntry.of(placed)));
	}

	OrderView ended(OrderStatus status, @Nullable String reason, HistoryEntry entry) {
		return new OrderView(this.orderId, this.customerId, status, reason, this.items, this.total, this.currency,
				this.placedAt, this.placedEventId, append(this.history, List.of(entry)));
	}

	OrderView withHistory(List<HistoryEntry> entries) {
		return new OrderView(this.orderId, this.customerId, this.status, this.cancellationReason, this.items,
				this.total, this.currency, this.placedAt, this.placedEventId, append(this.history, entries));
	}

	private static List<HistoryEntry> append(List<HistoryEntry> history, List<HistoryEntry> entries) {
		List<HistoryEntry> merged = new ArrayList<>(history);
		merged.addAll(entries);
		merged.sort(Comparator.comparing(HistoryEntry::time));
		return merged;
	}

	/**
	 * One event of the saga.
	 *
	 * @param type the event's type token
	 * @param time when it happened
	 * @param source the service that wrote it
	 * @param eventId its id
	 */
	public record HistoryEntry(String type, Instant time, String source, UUID eventId) {

		static HistoryEntry of(EventEnvelope<?> event) {
			return new HistoryEntry(event.type().token(), event.time(), event.source(), event.id());
		}

	}

}
