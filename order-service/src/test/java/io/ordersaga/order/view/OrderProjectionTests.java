package io.ordersaga.order.view;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.LineItem;
import io.ordersaga.events.OrderConfirmed;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.Topic;
import io.ordersaga.events.kafka.EventCodec;
import io.ordersaga.kafka.test.TestKafkaBroker;
import io.ordersaga.order.OrderStatus;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The read model of one instance, built from the topics on a real broker. */
class OrderProjectionTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

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

		OrderProjection projection = new OrderProjection(kafka());
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

	private static KafkaProperties kafka() {
		KafkaProperties kafka = new KafkaProperties();
		kafka.setBootstrapServers(List.of(TestKafkaBroker.bootstrapServers()));
		return kafka;
	}

}
