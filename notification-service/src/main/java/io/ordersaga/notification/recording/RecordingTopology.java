package io.ordersaga.notification.recording;

import java.time.Duration;

import io.ordersaga.events.Topic;
import io.ordersaga.notification.NotificationMetrics;
import io.ordersaga.notification.WebhookTopics;
import io.ordersaga.support.streams.RecordTracing;
import io.ordersaga.support.streams.Output;
import io.ordersaga.support.streams.ProcessingFailures;
import io.ordersaga.support.streams.StoreExpiry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;

/**
 * Recording as a Kafka Streams topology: the outcomes on {@code orders} and
 * {@code payments} become notifications on {@code notifications} (and webhook requests,
 * when a webhook is configured), and each webhook delivery made is recorded there once;
 * unreadable records go to their dead-letter topics.
 */
public final class RecordingTopology {

	static final String NOTIFIED_STORE = "notified-events";

	static final String EXPIRY_STORE = "notified-events-expiry";

	private RecordingTopology() {
	}

	/**
	 * Adds recording to a builder.
	 * @param builder the builder of the service's topology
	 * @param applicationId the Kafka Streams application id, named in dead-letter headers
	 * @param tracing continues each record's trace
	 * @param metrics where notifications are counted
	 * @param webhookEnabled whether to request a webhook delivery for each notification
	 * @param failures what becomes of a record whose processing keeps failing
	 * @param stateRetention how long the ids of what was notified are kept
	 * @return the merged input stream
	 */
	public static KStream<String, byte[]> build(StreamsBuilder builder, String applicationId, RecordTracing tracing,
			NotificationMetrics metrics, boolean webhookEnabled, ProcessingFailures failures, Duration stateRetention) {
		builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(NOTIFIED_STORE),
				Serdes.String(), Serdes.String()));
		builder.addStateStore(StoreExpiry.indexStore(EXPIRY_STORE));
		Consumed<String, byte[]> raw = Consumed.with(Serdes.String(), Serdes.ByteArray());
		KStream<String, byte[]> input = builder.stream(Topic.ORDERS.topicName(), raw.withName("orders"))
			.merge(builder.stream(Topic.PAYMENTS.topicName(), raw.withName("payments")), Named.as("outcomes"))
			.merge(builder.stream(WebhookTopics.DELIVERED, raw.withName("webhook-deliveries")), Named.as("to-record"));
		Output.toTopics(input.process(
				() -> new RecordingProcessor(applicationId, tracing, metrics, webhookEnabled, failures, stateRetention),
				Named.as("recording"), NOTIFIED_STORE, EXPIRY_STORE), "recording-outputs");
		return input;
	}

}
