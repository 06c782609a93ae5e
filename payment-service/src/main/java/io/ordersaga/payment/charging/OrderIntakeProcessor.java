package io.ordersaga.payment.charging;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.OrderCancelled;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.Topic;
import io.ordersaga.payment.PaymentMetrics;
import io.ordersaga.support.RecordTracing;
import io.ordersaga.support.streams.EventRecordProcessor;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Picks the order events payment-service acts on out of {@code orders} and re-keys them
 * by customer, so that every charge and refund of one customer is applied by one task,
 * one at a time, whatever partition its order landed on. Unreadable records go to
 * {@code orders-dlt}.
 */
class OrderIntakeProcessor extends EventRecordProcessor<PaymentOutput> {

	private final PaymentMetrics metrics;

	OrderIntakeProcessor(String applicationId, RecordTracing tracing, PaymentMetrics metrics) {
		super("payment-intake", applicationId, tracing);
		this.metrics = metrics;
	}

	@Override
	protected void handle(EventEnvelope<?> event, Record<String, byte[]> record) {
		if (event.data() instanceof OrderPlaced || event.data() instanceof OrderCancelled) {
			forward(record, event.data().customerId(), new PaymentOutput.ToCustomer(record.value()),
					record.timestamp());
		}
	}

	@Override
	protected PaymentOutput deadLetter(byte[] value) {
		return new PaymentOutput.DeadLetter(Topic.ORDERS.deadLetterTopicName(), value);
	}

	@Override
	protected void deadLettered(String sourceTopic) {
		this.metrics.deadLettered(sourceTopic);
	}

}
