package io.ordersaga.load;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

import io.ordersaga.events.CancellationReason;
import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.LineItem;
import io.ordersaga.events.OrderCancelled;
import io.ordersaga.events.OrderConfirmed;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.kafka.EventCodec;
import io.ordersaga.kafka.test.TestKafkaBroker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The generator reads an order's outcome from the events as the services write them. */
class OutcomeWatcherTests {

	private static final Currency EUR = Currency.getInstance("EUR");

	private final EventEnvelope<OrderPlaced> placed = EventEnvelope.first("/order-service", UUID.randomUUID(),
			OrderPlaced.of("alice", EUR, List.of(new LineItem("BOOK-1", 1, new BigDecimal("9.99")))));

	@Test
	void aConfirmedOrderEndsConfirmed() {
		assertThat(
				outcome(this.placed.causes("/order-service", new OrderConfirmed("alice", new BigDecimal("9.99"), EUR))))
			.isEqualTo("CONFIRMED");
	}

	@Test
	void aCancelledOrderEndsCancelledWithItsReason() {
		assertThat(outcome(this.placed.causes("/order-service",
				new OrderCancelled("alice", CancellationReason.PAYMENT_TIMEOUT, new BigDecimal("9.99"), EUR))))
			.isEqualTo("CANCELLED PAYMENT_TIMEOUT");
	}

	@Test
	void aPlacedOrderHasNotEnded() {
		assertThat(outcome(this.placed)).isNull();
		assertThat(OutcomeWatcher.outcome(null)).isNull();
		assertThat(OutcomeWatcher.outcome("not json".getBytes())).isNull();
	}

	@Test
	void saysThatKafkaDoesNotAnswer() throws IOException {
		String nowhere = "localhost:" + LoadGeneratorOptionsTests.freePort();

		assertThatExceptionOfType(SuiteUnreachableException.class)
			.isThrownBy(() -> new OutcomeWatcher(nowhere, Duration.ofSeconds(1), (id, outcome, nanos) -> {
			}))
			.withMessage("Kafka does not answer at " + nowhere
					+ " within 1 s. Start the suite with ./run, or point --kafka at its broker.");
	}

	@Test
	void saysThatABrokerWithoutTheOrdersTopicIsNotTheSuites() {
		String broker = TestKafkaBroker.bootstrapServers();

		assertThatExceptionOfType(SuiteUnreachableException.class)
			.isThrownBy(() -> new OutcomeWatcher(broker, Duration.ofSeconds(10), (id, outcome, nanos) -> {
			}))
			.withMessage("The broker at " + broker
					+ " has no topic 'orders', so it is not the suite's. Point --kafka at the suite's broker.");
	}

	private static String outcome(EventEnvelope<?> event) {
		return OutcomeWatcher.outcome(EventCodec.instance().encode(event));
	}

}
