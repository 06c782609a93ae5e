package io.ordersaga.payment.charging;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.OrderCancelled;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.support.streams.RecordTracing;
import io.ordersaga.support.streams.EventRecordProcessor;
import io.ordersaga.support.streams.ProcessingFailures;
import io.ordersaga.support.streams.StoreExpiry;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the order events payment-service acts on out of {@code orders} and re-keys them
 * by customer, so that every charge and refund of one customer is applied by one task,
 * one at a time, whatever partition its order landed on. Unreadable records go to
 * {@code orders-dlt}.
 *
 * <p>
 * Only the first {@code OrderPlaced} of an order goes on, as every consumer of
 * {@code orders} keeps the first: two requests racing with the same idempotency key can
 * both publish one, and if they name different customers the account tasks, which see one
 * customer each, could not tell that the second is a duplicate and would charge both. The
 * customer of each order is remembered here, where records are still keyed by order, and
 * a cancellation goes to the customer whose account was charged.
 */
class OrderIntakeProcessor extends EventRecordProcessor<byte[]> {

	private static final Logger logger = LoggerFactory.getLogger(OrderIntakeProcessor.class);

	private final PaymentMetrics metrics;

	private final Duration stateRetention;

	private @Nullable KeyValueStore<String, String> customers;

	private @Nullable StoreExpiry expiry;

	OrderIntakeProcessor(String applicationId, RecordTracing tracing, PaymentMetrics metrics,
			ProcessingFailures failures, Duration stateRetention) {
		super("payment-intake", applicationId, tracing, failures);
		this.metrics = metrics;
		this.stateRetention = stateRetention;
	}

	@Override
	public void init(ProcessorContext<String, byte[]> context) {
		super.init(context);
		this.customers = context.getStateStore(PaymentTopology.ORDER_CUSTOMER_STORE);
		this.expiry = StoreExpiry.schedule(context, PaymentTopology.INTAKE_EXPIRY_STORE, this.stateRetention,
				Map.of(PaymentTopology.ORDER_CUSTOMER_STORE, customers()));
	}

	@Override
	protected void handle(EventEnvelope<?> event, Record<String, byte[]> record) {
		String orderId = event.key();
		String customer = customers().get(orderId);
		switch (event.data()) {
			case OrderPlaced placed -> {
				if (customer != null) {
					logger.info("Order {} was placed before; ignoring its OrderPlaced {} for {}", orderId, event.id(),
							placed.customerId());
					return;
				}
				customers().put(orderId, placed.customerId());
				Objects.requireNonNull(this.expiry, "not initialized")
					.removeLater(PaymentTopology.ORDER_CUSTOMER_STORE, orderId, context().currentStreamTimeMs());
				toCustomer(record, placed.customerId());
			}
			case OrderCancelled cancelled -> toCustomer(record, (customer != null) ? customer : cancelled.customerId());
			default -> {
			}
		}
	}

	private void toCustomer(Record<String, byte[]> record, String customerId) {
		forward(customerId, record.value(), record.timestamp());
	}

	private KeyValueStore<String, String> customers() {
		return Objects.requireNonNull(this.customers, "not initialized");
	}

}
