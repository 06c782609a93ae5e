package io.ordersaga.order.view;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.LineItem;
import io.ordersaga.events.OrderConfirmed;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.Topic;
import io.ordersaga.events.kafka.EventCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * What the reader of uncommitted placements keeps, and when it cannot tell. The
 * projection is a stand-in, so that how far it has read can be chosen; the admission
 * tests run it on a real broker behind an open transaction.
 */
class FirstPlacementsTests {

	private static final TopicPartition PARTITION = new TopicPartition(Topic.ORDERS.topicName(), 0);

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final OrderProjection projection = mock(OrderProjection.class);

	private final UUID orderId = UUID.nameUUIDFromBytes("a key".getBytes(StandardCharsets.UTF_8));

	@Test
	void keepsTheFirstPlacementOfAnOrderUntilTheProjectionHasReadIt() {
		FirstPlacements placements = new FirstPlacements(new KafkaProperties(), this.projection);
		given(this.projection.position(PARTITION)).willReturn(10L);
		EventEnvelope<OrderPlaced> first = placed(this.orderId, "customer-1");
		EventEnvelope<OrderPlaced> retry = placed(this.orderId, "customer-1");

		placements.apply(List.of(record(10, first), record(11, retry)));

		assertThat(placements.first(this.orderId, PARTITION, 11, WAIT).map(OrderView::placedEventId))
			.contains(first.id());
		assertThat(placements.kept()).isOne();

		// The projection reads both: this forgets the order, and the projection answers.
		OrderView read = OrderView.placed(first);
		given(this.projection.position(PARTITION)).willReturn(12L);
		given(this.projection.find(this.orderId)).willReturn(Optional.of(read));
		placements.apply(record(12, null));

		assertThat(placements.kept()).isZero();
		assertThat(placements.first(this.orderId, PARTITION, 11, WAIT)).contains(read);
	}

	@Test
	void keepsNeitherOrdersWithoutAKeyNorRecordsThatPlaceNothing() {
		FirstPlacements placements = new FirstPlacements(new KafkaProperties(), this.projection);
		given(this.projection.position(PARTITION)).willReturn(0L);
		UUID random = UUID.randomUUID();
		EventEnvelope<OrderPlaced> keyed = placed(this.orderId, "customer-1");
		EventEnvelope<OrderConfirmed> confirmed = keyed.causes("/order-service",
				new OrderConfirmed("customer-1", keyed.data().total(), keyed.data().currency()));

		placements.apply(List.of(record(0, placed(random, "customer-2")), record(1, confirmed),
				new ConsumerRecord<>(PARTITION.topic(), 0, 2, this.orderId.toString(),
						"{}".getBytes(StandardCharsets.UTF_8)),
				new ConsumerRecord<>(PARTITION.topic(), 0, 3, "not an id", EventCodec.instance().encode(keyed)),
				record(4, null)));

		assertThat(placements.kept()).isZero();
		assertThat(placements.first(random, PARTITION, 0, WAIT)).isEmpty();
		assertThat(placements.first(this.orderId, PARTITION, 1, WAIT)).isEmpty();
	}

	/**
	 * The first attempt comes while there is no room and is not kept; a retry comes once
	 * there is, and is kept. It is not the first, and nothing says so until the
	 * projection has read the first.
	 */
	@Test
	void pastItsRoomItCannotTellUntilTheProjectionHasReadWhatItDidNotKeep() {
		FirstPlacements placements = new FirstPlacements(new KafkaProperties(), this.projection, 1);
		given(this.projection.position(PARTITION)).willReturn(10L);
		UUID other = UUID.nameUUIDFromBytes("another key".getBytes(StandardCharsets.UTF_8));
		EventEnvelope<OrderPlaced> unkept = placed(this.orderId, "customer-1");
		placements.apply(List.of(record(10, placed(other, "customer-2")), record(11, unkept)));
		// The projection reads the other order: room for one again.
		given(this.projection.position(PARTITION)).willReturn(11L);
		placements.apply(List.of());
		placements.apply(record(12, placed(this.orderId, "customer-1")));
		assertThat(placements.kept()).isOne();

		assertThat(placements.first(this.orderId, PARTITION, 12, WAIT)).isEmpty();

		OrderView read = OrderView.placed(unkept);
		given(this.projection.position(PARTITION)).willReturn(12L);
		given(this.projection.find(this.orderId)).willReturn(Optional.of(read));
		assertThat(placements.first(this.orderId, PARTITION, 12, WAIT)).contains(read);
	}

	/**
	 * The same, with the projection reading the first attempt between the two looks at
	 * it: how far it had read is taken before the second look, or the retry passed for
	 * the first.
	 */
	@Test
	void aProjectionThatReadsPastWhatWasNotKeptWhileItIsAskedDoesNotMakeTheRetryTheFirst() {
		FirstPlacements placements = new FirstPlacements(new KafkaProperties(), this.projection, 1);
		given(this.projection.position(PARTITION)).willReturn(10L);
		UUID other = UUID.nameUUIDFromBytes("another key".getBytes(StandardCharsets.UTF_8));
		placements
			.apply(List.of(record(10, placed(other, "customer-2")), record(11, placed(this.orderId, "customer-1"))));
		// The projection reads the other order: room for one again.
		given(this.projection.position(PARTITION)).willReturn(11L);
		placements.apply(List.of());
		placements.apply(record(12, placed(this.orderId, "customer-1")));

		AtomicInteger looks = new AtomicInteger();
		given(this.projection.find(this.orderId)).willAnswer((invocation) -> {
			looks.incrementAndGet();
			return Optional.empty();
		});
		// The projection moves past the first attempt right after the second look, too
		// late for that look to find it.
		given(this.projection.position(PARTITION)).willAnswer((invocation) -> (looks.get() < 2) ? 11L : 13L);

		assertThat(placements.first(this.orderId, PARTITION, 12, WAIT)).isEmpty();
	}

	@Test
	void aReaderThatHasNotReadThatFarAndIsNotReadingCannotTellAndDoesNotWait() {
		FirstPlacements placements = new FirstPlacements(new KafkaProperties(), this.projection);

		long started = System.nanoTime();
		assertThat(placements.first(this.orderId, PARTITION, 5, WAIT)).isEmpty();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(WAIT);
	}

	private static EventEnvelope<OrderPlaced> placed(UUID orderId, String customer) {
		return EventEnvelope.first("/order-service", orderId, OrderPlaced.of(customer, Currency.getInstance("EUR"),
				List.of(new LineItem("BOOK-1", 1, new BigDecimal("9.99")))));
	}

	private static ConsumerRecord<String, byte[]> record(long offset, @Nullable EventEnvelope<?> event) {
		return new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), offset,
				(event != null) ? event.key() : "tombstone",
				(event != null) ? EventCodec.instance().encode(event) : null);
	}

}
