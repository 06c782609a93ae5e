package io.ordersaga.order.view;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.EventType;
import io.ordersaga.events.LineItem;
import io.ordersaga.events.OrderConfirmed;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.Topic;
import io.ordersaga.events.kafka.EventCodec;
import io.ordersaga.kafka.test.TestKafkaBroker;
import io.ordersaga.order.core.OrderStatus;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The read model of one instance, built from the topics on a real broker. */
class OrderProjectionTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final Duration PAYMENT_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration PAYMENT_GRACE = Duration.ofSeconds(60);

	@Test
	void anInstanceStillReplayingAfterAStartAnswersWithEverythingWrittenBeforeIt() {
		TestKafkaBroker.createTopics(Topic.ORDERS.partitions(), Topic.ORDERS.topicName(), Topic.PAYMENTS.topicName());
		// The topic is shared with the other tests of this JVM: a customer of its own.
		String customer = TestKafkaBroker.uniqueName("customer");
		EventEnvelope<OrderPlaced> placed = EventEnvelope.first("/order-service", UUID.randomUUID(), OrderPlaced
			.of(customer, Currency.getInstance("EUR"), List.of(new LineItem("BOOK-1", 1, new BigDecimal("9.99")))));
		EventCodec codec = EventCodec.instance();
		List<byte @Nullable []> records = new ArrayList<>();
		records.add(codec.encode(placed));
		// Enough records between the order and its outcome that a fresh reader finds the
		// order long before it reads the outcome. Tombstones, which every reader of the
		// topic skips: records that are not events would each become a dead letter of the
		// saga of any application context running in this JVM, holding back for minutes
		// the orders behind them on their partition.
		for (int i = 0; i < 50_000; i++) {
			records.add(null);
		}
		records.add(codec.encode(placed.causes("/order-service",
				new OrderConfirmed(customer, placed.data().total(), placed.data().currency()))));
		TestKafkaBroker.send(Topic.ORDERS.topicName(), placed.key(), records);

		OrderProjection projection = new OrderProjection(kafka(), PAYMENT_TIMEOUT, PAYMENT_GRACE);
		projection.start();
		try {
			await().atMost(WAIT).until(() -> projection.find(placed.orderId()).isPresent());

			assertThat(projection.findAfterCatchingUp(placed.orderId(), WAIT))
				.hasValueSatisfying((view) -> assertThat(view.status()).isEqualTo(OrderStatus.CONFIRMED));
		}
		finally {
			projection.close();
		}
	}

	/**
	 * Admission control reads how fast the line moves from the projection: the ends of
	 * the pending orders it reads, per second.
	 */
	@Test
	void measuresHowManyPendingOrdersEndPerSecondFromTheEndsItReads() {
		TestKafkaBroker.createTopics(Topic.ORDERS.partitions(), Topic.ORDERS.topicName(), Topic.PAYMENTS.topicName());
		OrderProjection projection = new OrderProjection(kafka(), PAYMENT_TIMEOUT, PAYMENT_GRACE);
		projection.start();
		try {
			// Caught up with what the other tests of this JVM wrote.
			assertThat(projection.findAfterCatchingUp(UUID.randomUUID(), WAIT)).isEmpty();
			String customer = TestKafkaBroker.uniqueName("customer");
			EventCodec codec = EventCodec.instance();
			List<ProducerRecord<String, byte @Nullable []>> records = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				EventEnvelope<OrderPlaced> placed = EventEnvelope.first("/order-service", UUID.randomUUID(),
						OrderPlaced.of(customer, Currency.getInstance("EUR"),
								List.of(new LineItem("BOOK-1", 1, new BigDecimal("9.99")))));
				records.add(new ProducerRecord<>(Topic.ORDERS.topicName(), placed.key(), codec.encode(placed)));
				records.add(new ProducerRecord<>(Topic.ORDERS.topicName(), placed.key(),
						codec.encode(placed.causes("/order-service",
								new OrderConfirmed(customer, placed.data().total(), placed.data().currency())))));
			}
			TestKafkaBroker.send(records);

			// 20 ends within the last two seconds; other tests' orders only add to them.
			await().atMost(WAIT).until(() -> projection.ordersEndedPerSecond() >= 10);
		}
		finally {
			projection.close();
		}
	}

	/**
	 * The partition of an order is the choice of the producer that wrote it, and
	 * producers choose differently: librdkafka's clients (kcat's, for one) hash keys with
	 * CRC32 by default, Java's with murmur2. An order written to a partition its key does
	 * not hash to in Java is found at once all the same.
	 */
	@Test
	void anOrderIsFoundWhicheverPartitionItsProducerChose() {
		TestKafkaBroker.createTopics(Topic.ORDERS.partitions(), Topic.ORDERS.topicName(), Topic.PAYMENTS.topicName());
		String customer = TestKafkaBroker.uniqueName("customer");
		EventCodec codec = EventCodec.instance();
		OrderProjection projection = new OrderProjection(kafka(), PAYMENT_TIMEOUT, PAYMENT_GRACE);
		projection.start();
		try {
			assertThat(projection.awaitCaughtUp(WAIT)).isTrue();
			for (int i = 0; i < 20; i++) {
				EventEnvelope<OrderPlaced> placed = EventEnvelope.first("/order-service", UUID.randomUUID(),
						OrderPlaced.of(customer, Currency.getInstance("EUR"),
								List.of(new LineItem("BOOK-" + i, 1, new BigDecimal("9.99")))));
				int javaPartition = Utils.toPositive(Utils.murmur2(utf8(placed.key()))) % Topic.ORDERS.partitions();
				int chosen = (javaPartition + 1 + (i % 2)) % Topic.ORDERS.partitions();
				TestKafkaBroker.send(List
					.of(new ProducerRecord<>(Topic.ORDERS.topicName(), chosen, placed.key(), codec.encode(placed))));

				assertThat(projection.findAfterCatchingUp(placed.orderId(), WAIT)).as("order in partition %d", chosen)
					.isPresent();
			}
		}
		finally {
			projection.close();
		}
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	@Test
	void aPageOfACustomersOrdersInOneStatusReadsOnlyThatPage() {
		TestKafkaBroker.createTopics(Topic.ORDERS.partitions(), Topic.ORDERS.topicName(), Topic.PAYMENTS.topicName());
		String customer = TestKafkaBroker.uniqueName("customer");
		EventCodec codec = EventCodec.instance();
		List<EventEnvelope<OrderPlaced>> placed = new ArrayList<>();
		List<ProducerRecord<String, byte @Nullable []>> records = new ArrayList<>();
		for (int i = 0; i < 300; i++) {
			UUID id = UUID.randomUUID();
			// A second apart, so that the listing's order is the order of placing.
			EventEnvelope<OrderPlaced> order = new EventEnvelope<>(id, "/order-service",
					Instant.parse("2026-12-05T10:00:00Z").plusSeconds(i), UUID.randomUUID(), id, null,
					EventType.ORDER_PLACED.schemaVersion(), OrderPlaced.of(customer, Currency.getInstance("EUR"),
							List.of(new LineItem("BOOK-" + i, 1, new BigDecimal("9.99")))));
			placed.add(order);
			records.add(new ProducerRecord<>(Topic.ORDERS.topicName(), order.key(), codec.encode(order)));
			if (i % 3 != 0) {
				records.add(new ProducerRecord<>(Topic.ORDERS.topicName(), order.key(),
						codec.encode(order.causes("/order-service",
								new OrderConfirmed(customer, order.data().total(), order.data().currency())))));
			}
		}
		TestKafkaBroker.send(records);
		// Newest first: the order placed last is the first listed.
		List<UUID> pending = new ArrayList<>();
		List<UUID> all = new ArrayList<>();
		for (int i = placed.size() - 1; i >= 0; i--) {
			all.add(placed.get(i).orderId());
			if (i % 3 == 0) {
				pending.add(placed.get(i).orderId());
			}
		}

		OrderProjection projection = new OrderProjection(kafka(), PAYMENT_TIMEOUT, PAYMENT_GRACE);
		projection.start();
		try {
			OrderPage first = projection.ordersOf(customer, OrderStatus.PENDING_PAYMENT, 0, 20, WAIT);
			long lookedUp = projection.viewsLookedUp();
			OrderPage second = projection.ordersOf(customer, OrderStatus.PENDING_PAYMENT, 1, 20, WAIT);

			assertThat(projection.viewsLookedUp() - lookedUp).isEqualTo(20);
			assertThat(first.totalElements()).isEqualTo(100);
			assertThat(second.totalPages()).isEqualTo(5);
			assertThat(second.content()).extracting(OrderView::orderId)
				.containsExactlyElementsOf(pending.subList(20, 40));
			assertThat(second.content()).extracting(OrderView::status).containsOnly(OrderStatus.PENDING_PAYMENT);
			OrderPage confirmed = projection.ordersOf(customer, OrderStatus.CONFIRMED, 9, 20, WAIT);
			assertThat(confirmed.totalElements()).isEqualTo(200);
			assertThat(confirmed.content()).hasSize(20)
				.extracting(OrderView::status)
				.containsOnly(OrderStatus.CONFIRMED);
			OrderPage any = projection.ordersOf(customer, null, 14, 20, WAIT);
			assertThat(any.totalElements()).isEqualTo(300);
			assertThat(any.content()).extracting(OrderView::orderId).containsExactlyElementsOf(all.subList(280, 300));
		}
		finally {
			projection.close();
		}
	}

	private static KafkaProperties kafka() {
		KafkaProperties kafka = new KafkaProperties();
		kafka.setBootstrapServers(List.of(TestKafkaBroker.bootstrapServers()));
		return kafka;
	}

}
