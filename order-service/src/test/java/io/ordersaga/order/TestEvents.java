package io.ordersaga.order;

import io.ordersaga.order.core.OrderStatus;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.SagaEvent;
import io.ordersaga.events.kafka.EventCodec;
import io.ordersaga.kafka.test.TestKafkaBroker;
import io.ordersaga.kafka.test.TopicReader;
import io.ordersaga.order.view.OrderView;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.test.web.servlet.client.RestTestClient;

import static org.awaitility.Awaitility.await;

/**
 * Plays the other services in tests: reads what order-service wrote, writes what they
 * would, and waits for what order-service then shows.
 */
final class TestEvents {

	static final Duration WAIT = Duration.ofSeconds(30);

	private TestEvents() {
	}

	/** Publishes an event as its producer would: to its topic, keyed by its order. */
	static void publish(EventEnvelope<? extends SagaEvent> event) {
		TestKafkaBroker.send(event.topicName(), event.key(), EventCodec.instance().encode(event));
	}

	/**
	 * Waits until order-service shows an order in a status, as a client polling it would.
	 * @param http a client of the order-service under test
	 * @param orderId the order
	 * @param status the status to wait for
	 * @return the order in that status
	 */
	static OrderView awaitStatus(RestTestClient http, UUID orderId, OrderStatus status) {
		return await().atMost(WAIT)
			.until(() -> http.get()
				.uri("/orders/{id}", orderId)
				.exchange()
				.expectBody(OrderView.class)
				.returnResult()
				.getResponseBody(), (view) -> view != null && view.status() == status);
	}

	/** The {@code OrderPlaced} record of an order, as written to {@code orders}. */
	static ConsumerRecord<String, byte[]> orderPlacedRecord(UUID orderId) {
		String key = orderId.toString();
		return TopicReader.readUntil("orders", (read) -> read.stream().anyMatch((r) -> r.key().equals(key)), WAIT)
			.stream()
			.filter((r) -> r.key().equals(key))
			.findFirst()
			.orElseThrow();
	}

	/** Every event of an order on {@code orders} so far, in order. */
	static List<EventEnvelope<?>> eventsOf(UUID orderId) {
		String key = orderId.toString();
		return TopicReader.readToEnd("orders", WAIT)
			.stream()
			.filter((r) -> key.equals(r.key()))
			.<EventEnvelope<?>>map((r) -> EventCodec.instance().decode("orders", r.value()))
			.toList();
	}

	/** The {@code OrderPlaced} event of an order. */
	@SuppressWarnings("unchecked")
	static EventEnvelope<OrderPlaced> orderPlaced(UUID orderId) {
		return (EventEnvelope<OrderPlaced>) EventCodec.instance().decode("orders", orderPlacedRecord(orderId).value());
	}

}
