package io.ordersaga.order.saga;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.OrderEvent;

/** What the saga processor writes: an order event, or a record it could not process. */
sealed interface SagaOutput {

	/** An order event for the {@code orders} topic. */
	record Emit(EventEnvelope<? extends OrderEvent> event) implements SagaOutput {
	}

	/** The record being processed, unchanged, for its topic's dead-letter topic. */
	record DeadLetter(byte[] value) implements SagaOutput {
	}

}
