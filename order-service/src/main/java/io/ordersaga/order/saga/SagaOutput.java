package io.ordersaga.order.saga;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.OrderEvent;

/**
 * What the saga processor writes: an order event, or a payment outcome it kept to apply
 * later and could not (Kafka Streams' handler dead-letters the record being processed).
 */
sealed interface SagaOutput {

	/** An order event for the {@code orders} topic. */
	record Emit(EventEnvelope<? extends OrderEvent> event) implements SagaOutput {
	}

	/**
	 * A kept record that cannot be used, for the dead-letter topic of the topic it came
	 * from.
	 *
	 * @param sourceTopic the topic it came from
	 * @param value its value
	 */
	record DeadLetter(String sourceTopic, byte[] value) implements SagaOutput {
	}

}
