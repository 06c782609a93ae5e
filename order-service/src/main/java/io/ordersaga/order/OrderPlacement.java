package io.ordersaga.order;

import io.ordersaga.order.core.OrderMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.LineItem;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.order.view.FirstPlacements;
import io.ordersaga.order.view.OrderProjection;
import io.ordersaga.order.view.OrderView;
import io.ordersaga.support.web.BrokerUnavailableException;
import io.ordersaga.support.web.KafkaWaits;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Service;

/**
 * Places orders: the only write is the {@code OrderPlaced} event, published with
 * {@code acks=all} by an idempotent producer, and the order is accepted only once the
 * broker has it. There is nothing else to write, so nothing can be half-written.
 *
 * <p>
 * With an {@code Idempotency-Key} the order id is derived from the key, so every retry
 * names the same order on every instance and after any restart; the order's own events on
 * Kafka are the idempotency record. Consumers keep the first {@code OrderPlaced} of an
 * order and ignore later ones, so even two concurrent retries have one effect. Which
 * attempt was first is read back as soon as the broker has it ({@link FirstPlacements}),
 * or else from the projection once it has read that far.
 */
@Service
class OrderPlacement {

	static final String SOURCE = "/order-service";

	private static final String NOT_READ = "Retry with the same Idempotency-Key: it names the same order, "
			+ "which is placed once.";

	private final KafkaTemplate<String, EventEnvelope<?>> kafka;

	private final OrderProjection projection;

	private final FirstPlacements firstPlacements;

	private final OrderMetrics metrics;

	private final OrderProperties properties;

	private final KafkaWaits kafkaWaits;

	OrderPlacement(KafkaTemplate<String, EventEnvelope<?>> kafka, OrderProjection projection,
			FirstPlacements firstPlacements, OrderMetrics metrics, OrderProperties properties, KafkaWaits kafkaWaits) {
		this.kafka = kafka;
		this.projection = projection;
		this.firstPlacements = firstPlacements;
		this.metrics = metrics;
		this.properties = properties;
		this.kafkaWaits = kafkaWaits;
	}

	/**
	 * Places an order, or finds the one an earlier request with the same key placed.
	 * @param request the validated request
	 * @param idempotencyKey the client's key, if it sent one
	 * @return the order and whether it was placed by an earlier request
	 */
	Placement place(PlaceOrderRequest request, @Nullable String idempotencyKey) {
		OrderPlaced order = request.toEvent();
		if (idempotencyKey == null) {
			// A random id cannot collide, so there is nothing to compare with: answer as
			// soon as the broker has the event. A later read still finds it
			// (findAfterCatchingUp).
			EventEnvelope<OrderPlaced> placed = EventEnvelope.first(SOURCE, UUID.randomUUID(), order);
			publish(placed);
			return new Placement(OrderView.placed(placed), false);
		}
		UUID orderId = orderIdFor(request.customerId(), idempotencyKey);
		Duration wait = this.properties.readYourWritesTimeout();
		// A retry that comes once this instance has read the first attempt is answered
		// from the projection and publishes nothing. One that comes sooner, or reaches
		// another instance first, publishes again, and the first OrderPlaced decides
		// below. An instance still replaying the topics after a start catches up first.
		Optional<OrderView> earlier = this.projection.isCaughtUp() ? this.projection.find(orderId)
				: this.kafkaWaits.waitFor(() -> this.projection.findAfterCatchingUp(orderId, wait), NOT_READ);
		if (earlier.isPresent()) {
			return replay(earlier.get(), order, idempotencyKey);
		}
		EventEnvelope<OrderPlaced> placed = EventEnvelope.first(SOURCE, orderId, order);
		RecordMetadata written = publish(placed);
		// Every attempt with this key went to this partition, since the key names the
		// order: once this record is read back, every earlier attempt is, and the first
		// OrderPlaced is the order.
		TopicPartition partition = new TopicPartition(written.topic(), written.partition());
		OrderView view = OrderView.placed(placed);
		OrderView first = this.kafkaWaits
			.waitFor(() -> firstPlacement(orderId, partition, written.offset(), wait),
					"The order reached Kafka. " + NOT_READ)
			.orElse(view);
		return first.placedEventId().equals(placed.id()) ? new Placement(view, false)
				: replay(first, order, idempotencyKey);
	}

	/**
	 * The order as its first placement placed it, once a placement written at an offset
	 * is read back: as soon as the broker has it, or else (the reader of uncommitted
	 * placements cannot tell) once the projection has read that far, past the
	 * transactions open there.
	 */
	private Optional<OrderView> firstPlacement(UUID orderId, TopicPartition partition, long offset, Duration wait) {
		long deadline = System.nanoTime() + wait.toNanos();
		// Half the wait at most, so that a reader that failed or stalled while
		// this waited leaves the projection time to answer.
		Optional<OrderView> first = this.firstPlacements.first(orderId, partition, offset, wait.dividedBy(2));
		if (first.isPresent()) {
			return first;
		}
		if (!this.projection.awaitPosition(partition, offset + 1,
				Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
			throw new BrokerUnavailableException(
					"The order reached Kafka, but order-service could not read it back in time to tell whether "
							+ "an earlier request with this Idempotency-Key placed it first. Retry with the same "
							+ "Idempotency-Key: it names the same order, which is placed once.",
					null);
		}
		return this.projection.find(orderId);
	}

	private RecordMetadata publish(EventEnvelope<OrderPlaced> placed) {
		SendResult<String, EventEnvelope<?>> result = this.kafkaWaits.acknowledged(
				() -> this.kafka.send(placed.topicName(), placed.key(), placed), this.properties.sendTimeout(),
				"Kafka did not accept the order in time, so it was not placed. "
						+ "Retry with the same Idempotency-Key to be sure it is placed once.");
		RecordMetadata written = result.getRecordMetadata();
		this.projection.placed(new TopicPartition(written.topic(), written.partition()), written.offset());
		this.metrics.record(placed.data());
		return written;
	}

	private static Placement replay(OrderView earlier, OrderPlaced order, String idempotencyKey) {
		if (!sameOrder(earlier, order)) {
			throw new IdempotencyKeyReusedException(idempotencyKey, earlier.orderId());
		}
		return new Placement(earlier, true);
	}

	static boolean sameOrder(OrderView earlier, OrderPlaced order) {
		return earlier.customerId().equals(order.customerId()) && earlier.currency().equals(order.currency())
				&& normalized(earlier.items()).equals(normalized(order.items()));
	}

	/** 12.5 and 12.50 are the same price. */
	private static List<LineItem> normalized(List<LineItem> items) {
		return items.stream()
			.map((item) -> new LineItem(item.sku(), item.quantity(), item.unitPrice().stripTrailingZeros()))
			.sorted(Comparator.comparing(LineItem::sku).thenComparing(LineItem::quantity))
			.toList();
	}

	/**
	 * The order a customer's key names. A key is the customer's own, as with payment
	 * providers' keys: another customer's request with the same key is another order, and
	 * learns nothing of the first (a customer id has no ':', so no two pairs meet).
	 * @param customerId who orders
	 * @param idempotencyKey the client's key
	 * @return the order's id
	 */
	static UUID orderIdFor(String customerId, String idempotencyKey) {
		return UUID.nameUUIDFromBytes(
				("ordersaga:idempotency-key:" + customerId + ":" + idempotencyKey).getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * The outcome of {@code POST /orders}.
	 *
	 * @param order the order
	 * @param replayed whether an earlier request with the same key placed it
	 */
	record Placement(OrderView order, boolean replayed) {
	}

}
