package io.ordersaga.order.view;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.OrderCancelled;
import io.ordersaga.events.OrderConfirmed;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.PaymentEvent;
import io.ordersaga.events.Topic;
import io.ordersaga.order.core.OrderStatus;
import io.ordersaga.support.ReadModelStore;
import io.ordersaga.support.TopicFollower;
import io.ordersaga.support.web.BrokerUnavailableException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * The read side: every instance of order-service reads all partitions of {@code orders}
 * and {@code payments} (committed records only) and folds them into an {@link OrderView}
 * per order, kept on disk with a listing of each customer's orders (see
 * {@link TopicFollower}: the heap does not grow with the number of orders, and a restart
 * goes on from where the instance stopped reading). The topics are the system of record,
 * so the views survive any restart, and any instance answers for any order.
 *
 * <p>
 * Views lag the log by the time it takes to read it. To give read-your-writes, a caller
 * that just wrote waits until the projection has read its record (the producer said
 * where), and a lookup that finds nothing until it has read up to the end of every
 * partition of {@code orders}; see {@link #findAfterCatchingUp(UUID, Duration)}.
 */
@Component
public class OrderProjection extends TopicFollower {

	private final ReadModelStore.Table<OrderView> orders = store().table('o', OrderView.class);

	private final ReadModelStore.Listings byCustomer = store().listings('c');

	/** Each customer's orders in each status, owned by {@link #statusOwner}. */
	private final ReadModelStore.Listings byCustomerAndStatus = store().listings('s');

	/** Payment events read before their order. */
	private final ReadModelStore.Table<EarlyPayments> early = store().table('e', EarlyPayments.class);

	private final PendingOrders pending;

	private final UnreadPlacements unread;

	/**
	 * Creates the projection.
	 * @param kafka how to reach Kafka, and the state directory
	 * @param paymentTimeout the saga's payment timeout
	 * @param paymentGrace how much longer the saga may wait for a payment-service that is
	 * behind: with the timeout, how long an order counts as pending (see
	 * {@link #pendingOrders()})
	 */
	public OrderProjection(KafkaProperties kafka,
			@Value("${ordersaga.saga.payment-timeout:30s}") Duration paymentTimeout,
			@Value("${ordersaga.saga.payment-grace:60s}") Duration paymentGrace) {
		super("order-projection", List.of(Topic.ORDERS.topicName(), Topic.PAYMENTS.topicName()), kafka);
		this.pending = new PendingOrders(paymentTimeout.plus(paymentGrace));
		this.unread = new UnreadPlacements(paymentTimeout.plus(paymentGrace), System::nanoTime);
	}

	/**
	 * The orders of every instance placed within the longest the saga waits (its payment
	 * timeout and grace) that have not ended, as read so far: the saga's backlog. Reading
	 * it costs nothing; it changes after each poll.
	 * @return the number of orders
	 */
	public int pendingOrders() {
		return this.pending.count();
	}

	/**
	 * Notes an order this instance placed, once the broker has it.
	 * @param partition where its {@code OrderPlaced} was written
	 * @param offset its offset there
	 */
	public void placed(TopicPartition partition, long offset) {
		this.unread.placed(partition, offset);
	}

	/**
	 * The orders this instance {@link #placed placed} that are not read yet, so not yet
	 * among the {@link #pendingOrders() pending orders}. A few polls' worth while the
	 * projection keeps up; they pile up while it stands still.
	 * @return the number of orders
	 */
	public int unreadPlacements() {
		return this.unread.count(this::position);
	}

	/**
	 * How many of the {@link #pendingOrders() pending orders} ended per second lately
	 * (over the last two seconds, by the time each end was written): how fast the saga's
	 * line moves now. It changes after each poll.
	 * @return orders ended per second
	 */
	public double ordersEndedPerSecond() {
		return this.pending.endedPerSecond();
	}

	/**
	 * The order as read so far.
	 * @param orderId the order's id
	 * @return the view, or empty if the projection has not read the order (yet)
	 */
	public Optional<OrderView> find(UUID orderId) {
		return Optional.ofNullable(this.orders.get(orderId));
	}

	/**
	 * The order, after reading everything already written to {@code orders}. An order
	 * that was accepted before this call is found, whichever instance accepted it, and an
	 * instance still replaying the topics after a start waits until it has read what they
	 * held then, so it never shows an order older than it was before the start.
	 * @param orderId the order's id
	 * @param maxWait how long to wait for the projection to catch up
	 * @return the view, or empty if the order does not exist
	 * @throws BrokerUnavailableException if the projection could not read that far in
	 * time (Kafka unreachable, or a transaction holding the partition back), so that
	 * whether the order exists cannot be told yet
	 */
	public Optional<OrderView> findAfterCatchingUp(UUID orderId, Duration maxWait) {
		requireFollowing();
		long deadline = System.nanoTime() + maxWait.toNanos();
		boolean replayed = awaitCaughtUp(maxWait);
		Optional<OrderView> view = find(orderId);
		if (view.isPresent()) {
			return view;
		}
		catchUp(replayed, deadline);
		return find(orderId);
	}

	/**
	 * A customer's orders, newest first, including every order accepted before this call
	 * by any instance.
	 * @param customerId the customer
	 * @param status only orders in this status, or all if {@code null}
	 * @param page the page number, from 0
	 * @param size the page size
	 * @param maxWait how long to wait for the projection to catch up
	 * @return the page
	 * @throws BrokerUnavailableException if the projection could not read that far in
	 * time
	 */
	public OrderPage ordersOf(String customerId, @Nullable OrderStatus status, int page, int size, Duration maxWait) {
		requireFollowing();
		long deadline = System.nanoTime() + maxWait.toNanos();
		catchUp(awaitCaughtUp(maxWait), deadline);
		// Only the page's orders are read: the listings keep each customer's orders in
		// each status, and their counts.
		ReadModelStore.Page listed = (status != null)
				? this.byCustomerAndStatus.page(statusOwner(customerId, status), (long) page * size, size)
				: this.byCustomer.page(customerId, (long) page * size, size);
		List<OrderView> content = this.orders.getAll(listed.ids()).stream().filter(Objects::nonNull).toList();
		return OrderPage.of(content, page, size, listed.total());
	}

	/**
	 * How many values the projection has looked up to answer reads and fold records since
	 * it was made: what its reads cost.
	 * @return the number of order views asked for
	 */
	public long viewsLookedUp() {
		return this.orders.valuesLookedUp();
	}

	private static String statusOwner(String customerId, OrderStatus status) {
		return status.name() + "/" + customerId;
	}

	@Override
	protected int modelVersion() {
		// 2: orders listed by status too, and listings counted.
		return 2;
	}

	/**
	 * Reads every partition of {@code orders} up to what it held when called. An order
	 * lives in one partition, but which one is the producer's choice: the records it
	 * acknowledged say where, and a reader without them waits for all partitions (one
	 * request for their ends, read by the one consumer that reads them all), rather than
	 * copying the producer's partitioner.
	 */
	private void catchUp(boolean replayed, long deadline) {
		if (!replayed || !awaitWrittenSoFar(Topic.ORDERS.topicName(),
				Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
			throw new BrokerUnavailableException("order-service could not read the orders topic far enough in time "
					+ "to answer with every order accepted so far; retry shortly.", null);
		}
	}

	@Override
	protected void fold(ConsumerRecord<String, byte[]> record) {
		Optional<EventEnvelope<?>> read = event(record, record.topic());
		if (read.isEmpty()) {
			return;
		}
		EventEnvelope<?> event = read.get();
		UUID orderId = event.orderId();
		OrderView view = this.orders.get(orderId);
		OrderView.HistoryEntry entry = OrderView.HistoryEntry.of(event);
		switch (event.data()) {
			case OrderPlaced placed -> {
				if (view == null) {
					@SuppressWarnings("unchecked")
					OrderView created = OrderView.placed((EventEnvelope<OrderPlaced>) event);
					EarlyPayments earlier = this.early.get(orderId);
					if (earlier != null) {
						this.early.remove(orderId);
						created = created.withHistory(earlier.entries());
					}
					this.orders.put(orderId, created);
					this.pending.placed(orderId, created.placedAt(), Instant.now());
					this.byCustomer.add(placed.customerId(), event.time(), orderId);
					this.byCustomerAndStatus.add(statusOwner(placed.customerId(), created.status()), event.time(),
							orderId);
				}
			}
			case OrderConfirmed confirmed -> {
				if (view != null && !view.status().isFinal()) {
					end(view, view.ended(OrderStatus.CONFIRMED, null, entry), event.time());
				}
			}
			case OrderCancelled cancelled -> {
				if (view != null && !view.status().isFinal()) {
					end(view, view.ended(OrderStatus.CANCELLED, cancelled.reason().code(), entry), event.time());
				}
			}
			case PaymentEvent payment -> {
				if (view != null) {
					this.orders.put(orderId, view.withHistory(List.of(entry)));
				}
				else {
					EarlyPayments earlier = this.early.get(orderId);
					this.early.put(orderId, (earlier != null) ? earlier.and(entry) : new EarlyPayments(List.of(entry)));
				}
			}
			default -> {
			}
		}
	}

	@Override
	protected void polled() {
		this.pending.prune(Instant.now());
	}

	private void end(OrderView before, OrderView ended, Instant endedAt) {
		this.orders.put(ended.orderId(), ended);
		this.pending.ended(ended.orderId(), endedAt, Instant.now());
		this.byCustomerAndStatus.remove(statusOwner(before.customerId(), before.status()), before.placedAt(),
				before.orderId());
		this.byCustomerAndStatus.add(statusOwner(ended.customerId(), ended.status()), ended.placedAt(),
				ended.orderId());
	}

	/**
	 * Payment events of an order not read yet.
	 *
	 * @param entries the events, in the order read
	 */
	record EarlyPayments(List<OrderView.HistoryEntry> entries) {

		EarlyPayments and(OrderView.HistoryEntry entry) {
			List<OrderView.HistoryEntry> more = new ArrayList<>(this.entries);
			more.add(entry);
			return new EarlyPayments(more);
		}

	}

}
