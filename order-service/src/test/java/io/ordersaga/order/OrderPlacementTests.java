package io.ordersaga.order;

import io.ordersaga.order.core.OrderMetrics;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.Topic;
import io.ordersaga.order.view.FirstPlacements;
import io.ordersaga.order.view.OrderProjection;
import io.ordersaga.order.view.OrderView;
import io.ordersaga.support.web.BrokerUnavailableException;
import io.ordersaga.support.web.KafkaWaits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;

/**
 * How a keyed {@code POST /orders} decides between placing and replaying. The projection
 * is a stand-in here, so that each step's answer can be chosen; the integration tests run
 * the same paths against a real broker.
 */
class OrderPlacementTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private static final TopicPartition PARTITION = new TopicPartition(Topic.ORDERS.topicName(), 1);

	@SuppressWarnings("unchecked")
	private final KafkaTemplate<String, EventEnvelope<?>> kafka = mock(KafkaTemplate.class);

	private final OrderProjection projection = mock(OrderProjection.class);

	/** Cannot tell, unless a test says otherwise: the projection decides. */
	private final FirstPlacements firstPlacements = mock(FirstPlacements.class);

	private final List<EventEnvelope<OrderPlaced>> published = new ArrayList<>();

	private final OrderPlacement placement = new OrderPlacement(this.kafka, this.projection, this.firstPlacements,
			new OrderMetrics(new SimpleMeterRegistry()),
			new OrderProperties(Duration.ofSeconds(10), WAIT, Duration.ofMillis(500), 300, 1000, 64),
			new KafkaWaits(16, Duration.ofSeconds(5)));

	private final PlaceOrderRequest request = new PlaceOrderRequest("customer-1", "EUR",
			List.of(new PlaceOrderRequest.Item("BOOK-1", 2, new BigDecimal("12.50"))));

	private final UUID orderId = OrderPlacement.orderIdFor("customer-1", "key-1");

	@BeforeEach
	void brokerAcknowledgesAtOffset41() {
		given(this.projection.isCaughtUp()).willReturn(true);
		given(this.kafka.send(anyString(), anyString(), any())).willAnswer((invocation) -> {
			this.published.add(invocation.getArgument(2));
			ProducerRecord<String, EventEnvelope<?>> record = new ProducerRecord<>(invocation.getArgument(0),
					invocation.getArgument(1), invocation.getArgument(2));
			return CompletableFuture
				.completedFuture(new SendResult<>(record, new RecordMetadata(PARTITION, 41, 0, 0, 0, 0)));
		});
	}

	@Test
	void aRetryThisInstanceHasReadIsAnsweredWithoutWaitingOrPublishing() {
		given(this.projection.find(this.orderId)).willReturn(Optional.of(earlierAttempt(this.request)));

		OrderPlacement.Placement placement = this.placement.place(this.request, "key-1");

		assertThat(placement.replayed()).isTrue();
		assertThat(placement.order().orderId()).isEqualTo(this.orderId);
		then(this.kafka).should(never()).send(anyString(), anyString(), any());
		then(this.projection).should(never()).findAfterCatchingUp(any(), any());
	}

	@Test
	void aFirstAttemptIsPlacedOnceTheProjectionHasReadItBack() {
		given(this.projection.find(this.orderId)).willReturn(Optional.empty());
		given(this.projection.awaitPosition(eq(PARTITION), eq(42L), any())).willReturn(true);

		OrderPlacement.Placement placement = this.placement.place(this.request, "key-1");

		assertThat(placement.replayed()).isFalse();
		then(this.kafka).should().send(eq(Topic.ORDERS.topicName()), eq(this.orderId.toString()), any());
	}

	@Test
	void anAttemptThatAnotherPublishedFirstIsAReplayOfTheFirst() {
		OrderView first = earlierAttempt(this.request);
		given(this.projection.find(this.orderId)).willReturn(Optional.empty(), Optional.of(first));
		given(this.projection.awaitPosition(eq(PARTITION), eq(42L), any())).willReturn(true);

		OrderPlacement.Placement placement = this.placement.place(this.request, "key-1");

		assertThat(placement.replayed()).isTrue();
		assertThat(placement.order().placedEventId()).isEqualTo(first.placedEventId());
	}

	@Test
	void anAttemptThatCannotBeReadBackInTimeIsA503NotAGuess() {
		given(this.projection.find(this.orderId)).willReturn(Optional.empty());
		given(this.projection.awaitPosition(eq(PARTITION), eq(42L), any())).willReturn(false);
		// The reader of uncommitted placements may take half the wait; the projection
		// has the rest.
		given(this.firstPlacements.first(eq(this.orderId), eq(PARTITION), eq(41L), eq(WAIT.dividedBy(2))))
			.willReturn(Optional.empty());

		assertThatExceptionOfType(BrokerUnavailableException.class)
			.isThrownBy(() -> this.placement.place(this.request, "key-1"))
			.satisfies((ex) -> assertThat(ex.getBody().getDetail()).contains("Retry with the same Idempotency-Key"));
		then(this.firstPlacements).should().first(this.orderId, PARTITION, 41, WAIT.dividedBy(2));
		then(this.projection).should()
			.awaitPosition(eq(PARTITION), eq(42L),
					argThat((Duration left) -> left.compareTo(WAIT.dividedBy(2)) > 0 && left.compareTo(WAIT) <= 0));
	}

	@Test
	void aFirstAttemptReadBackAsSoonAsTheBrokerHasItIsPlacedWithoutWaitingForTheProjection() {
		given(this.projection.find(this.orderId)).willReturn(Optional.empty());
		given(this.firstPlacements.first(eq(this.orderId), eq(PARTITION), eq(41L), any()))
			.willAnswer((invocation) -> Optional.of(OrderView.placed(this.published.getLast())));

		OrderPlacement.Placement placement = this.placement.place(this.request, "key-1");

		assertThat(placement.replayed()).isFalse();
		assertThat(placement.order().placedEventId()).isEqualTo(this.published.getLast().id());
		then(this.projection).should(never()).awaitPosition(any(), anyLong(), any());
	}

	@Test
	void anAttemptThatAnotherPublishedFirstIsAReplayOfTheFirstAsSoonAsTheBrokerHasBoth() {
		OrderView first = earlierAttempt(this.request);
		given(this.projection.find(this.orderId)).willReturn(Optional.empty());
		given(this.firstPlacements.first(eq(this.orderId), eq(PARTITION), eq(41L), any()))
			.willReturn(Optional.of(first));

		OrderPlacement.Placement placement = this.placement.place(this.request, "key-1");

		assertThat(placement.replayed()).isTrue();
		assertThat(placement.order().placedEventId()).isEqualTo(first.placedEventId());
		then(this.projection).should(never()).awaitPosition(any(), anyLong(), any());
	}

	@Test
	void anInstanceStillReplayingTheTopicsCatchesUpBeforeItLooks() {
		given(this.projection.isCaughtUp()).willReturn(false);
		given(this.projection.findAfterCatchingUp(this.orderId, WAIT))
			.willReturn(Optional.of(earlierAttempt(this.request)));

		assertThat(this.placement.place(this.request, "key-1").replayed()).isTrue();
		then(this.kafka).should(never()).send(anyString(), anyString(), any());
	}

	private OrderView earlierAttempt(PlaceOrderRequest request) {
		OrderPlaced placed = request.toEvent();
		return OrderView.placed(EventEnvelope.first(OrderPlacement.SOURCE, this.orderId, placed));
	}

	@Test
	void anIdempotencyKeyIsTheCustomersOwn() {
		assertThat(OrderPlacement.orderIdFor("alice", "key-1")).isNotEqualTo(OrderPlacement.orderIdFor("bob", "key-1"))
			.isEqualTo(OrderPlacement.orderIdFor("alice", "key-1"));
	}

}
