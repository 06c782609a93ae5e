package io.ordersaga.notification.recording;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.NotificationSent;
import io.ordersaga.events.NotificationSent.Channel;
import io.ordersaga.notification.NotificationIds;
import io.ordersaga.notification.NotificationMetrics;
import io.ordersaga.notification.NotificationTexts;
import io.ordersaga.support.streams.RecordTracing;
import io.ordersaga.support.streams.EventRecordProcessor;
import io.ordersaga.notification.WebhookTopics;
import io.ordersaga.support.streams.Output;
import io.ordersaga.support.streams.ProcessingFailures;
import io.ordersaga.support.streams.StoreExpiry;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each final outcome — {@code OrderConfirmed}, {@code OrderCancelled},
 * {@code PaymentRefunded} — into exactly one in-app notification, recorded as
 * {@code NotificationSent} on {@code notifications}. The notification id is derived from
 * the source event's id, and the ids of the events already notified are kept in a store
 * that commits with the recorded notification and the consumed offsets, so neither a
 * redelivery, a rebalance, a crash nor a duplicated source event yields a second
 * notification. Webhook deliveries, made outside any transaction, are recorded once per
 * notification id the same way.
 */
class RecordingProcessor extends EventRecordProcessor<Output> {

	static final String SOURCE = "/notification-service";

	private static final Logger logger = LoggerFactory.getLogger(RecordingProcessor.class);

	private final NotificationMetrics metrics;

	private final boolean webhookEnabled;

	private final Duration stateRetention;

	private @Nullable KeyValueStore<String, String> notified;

	private @Nullable StoreExpiry expiry;

	RecordingProcessor(String applicationId, RecordTracing tracing, NotificationMetrics metrics, boolean webhookEnabled,
			ProcessingFailures failures, Duration stateRetention) {
		super("notification", applicationId, tracing, failures);
		this.metrics = metrics;
		this.webhookEnabled = webhookEnabled;
		this.stateRetention = stateRetention;
	}

	@Override
	public void init(ProcessorContext<String, Output> context) {
		super.init(context);
		this.notified = context.getStateStore(RecordingTopology.NOTIFIED_STORE);
		// The ids recognise a redelivered or duplicated source event or webhook delivery,
		// which come within seconds; they are kept for the retention.
		this.expiry = StoreExpiry.schedule(context, RecordingTopology.EXPIRY_STORE, this.stateRetention,
				Map.of(RecordingTopology.NOTIFIED_STORE, notified()));
	}

	@Override
	protected void handle(EventEnvelope<?> event, Record<String, byte[]> record) {
		if (event.data() instanceof NotificationSent delivered) {
			recordDelivery(event, delivered, record);
			return;
		}
		NotificationTexts.Text text = NotificationTexts.of(event.data(), event.key());
		if (text == null) {
			return;
		}
		String sourceEventId = event.id().toString();
		if (notified().get(sourceEventId) != null) {
			logger.info("Already notified {} {}; not again", event.type().token(), sourceEventId);
			return;
		}
		UUID notificationId = NotificationIds.of(event.id(), Channel.IN_APP);
		EventEnvelope<NotificationSent> sent = event.causes(SOURCE,
				new NotificationSent(notificationId, event.data().customerId(), Channel.IN_APP, text.subject(),
						text.text(), event.id(), event.type().token()));
		notified().put(sourceEventId, notificationId.toString());
		Objects.requireNonNull(this.expiry, "not initialized")
			.removeLater(RecordingTopology.NOTIFIED_STORE, sourceEventId, context().currentStreamTimeMs());
		long time = sent.time().toEpochMilli();
		forward(sent.key(), Output.event(sent), time);
		if (this.webhookEnabled) {
			forward(sent.key(), Output.event(WebhookTopics.DELIVERIES, sent), time);
		}
		this.metrics.sent(event.type().token(), Channel.IN_APP.name());
	}

	/**
	 * A webhook call cannot join a transaction, so a crash after a call repeats it and
	 * the record of it; the repeat names the same notification id, and is recorded once.
	 */
	private void recordDelivery(EventEnvelope<?> event, NotificationSent delivered, Record<String, byte[]> record) {
		if (delivered.channel() != Channel.WEBHOOK) {
			throw new IllegalArgumentException("not a webhook delivery: " + delivered.channel());
		}
		String notificationId = delivered.notificationId().toString();
		if (notified().get(notificationId) != null) {
			logger.info("Webhook delivery {} is recorded already; not again", notificationId);
			return;
		}
		notified().put(notificationId, notificationId);
		Objects.requireNonNull(this.expiry, "not initialized")
			.removeLater(RecordingTopology.NOTIFIED_STORE, notificationId, context().currentStreamTimeMs());
		@SuppressWarnings("unchecked")
		EventEnvelope<NotificationSent> sent = (EventEnvelope<NotificationSent>) event;
		forward(sent.key(), Output.event(sent), record.timestamp());
	}

	private KeyValueStore<String, String> notified() {
		return Objects.requireNonNull(this.notified, "not initialized");
	}

}
