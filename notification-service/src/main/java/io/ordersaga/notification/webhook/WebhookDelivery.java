package io.ordersaga.notification.webhook;

import io.ordersaga.notification.WebhookTopics;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.context.ContextExecutorService;
import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.NotificationSent;
import io.ordersaga.events.NotificationSent.Channel;
import io.ordersaga.events.kafka.EventCodec;
import io.ordersaga.events.kafka.EventDeserializationException;
import io.ordersaga.notification.NotificationIds;
import io.ordersaga.notification.NotificationMetrics;
import io.ordersaga.notification.NotificationProperties;
import io.ordersaga.support.web.KafkaWrites;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Conditional;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.kafka.annotation.BackOff;
import org.springframework.kafka.annotation.DltHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.annotation.RetryableTopic;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * POSTs each notification (its CloudEvents JSON) to the configured webhook, then records
 * the delivery as a {@code NotificationSent} on the {@code WEBHOOK} channel, which the
 * recording topology writes to {@code notifications} once. A failed call is retried with
 * growing back-off on retry topics, so a slow or failing endpoint never holds up the
 * deliveries behind it; after the last attempt the notification goes to the webhook
 * dead-letter topic with the error, and the feed shows it as failed.
 *
 * <p>
 * An HTTP call cannot take part in a Kafka transaction, so a crash between the call and
 * the commit can repeat a call: every call carries the notification id as its
 * {@code Idempotency-Key}, for the receiver to recognise a repeat, and a repeated record
 * of the delivery is recorded once.
 */
@Component
@Conditional(WebhookConfigured.class)
class WebhookDelivery {

	static final String SOURCE = "/notification-service";

	private static final Logger logger = LoggerFactory.getLogger(WebhookDelivery.class);

	private static final MediaType CLOUD_EVENT = MediaType.parseMediaType("application/cloudevents+json");

	private final RestClient http;

	private final URI url;

	private final KafkaTemplate<String, byte[]> kafka;

	private final NotificationMetrics metrics;

	private final NotificationProperties properties;

	/**
	 * The calls, each on a virtual thread of its own, so that a deadline can end one; the
	 * listener's observation goes with each, so the call joins the notification's trace.
	 */
	private final ExecutorService calls = ContextExecutorService.wrap(Executors.newVirtualThreadPerTaskExecutor());

	/**
	 * Creates the delivery.
	 * @param http Boot's builder, which records {@code http.client.requests} and sends
	 * {@code traceparent}
	 * @param kafka records the deliveries
	 * @param metrics counts them
	 * @param properties the webhook's URL and time-out
	 */
	WebhookDelivery(RestClient.Builder http, KafkaTemplate<String, byte[]> kafka, NotificationMetrics metrics,
			NotificationProperties properties) {
		JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
				HttpClient.newBuilder().connectTimeout(properties.webhookTimeout()).build());
		requests.setReadTimeout(properties.webhookTimeout());
		this.http = http.requestFactory(requests).build();
		this.url = Objects.requireNonNull(properties.webhookUrl(), WebhookConfigured.PROPERTY);
		this.kafka = kafka;
		this.metrics = metrics;
		this.properties = properties;
	}

	@RetryableTopic(attempts = "${ordersaga.notifications.webhook-attempts:4}",
			backOff = @BackOff(delayString = "${ordersaga.notifications.webhook-retry-delay:1000}", multiplier = 2.0,
					maxDelay = 60_000),
			exclude = { EventDeserializationException.class, IllegalArgumentException.class }, numPartitions = "3")
	@KafkaListener(id = "notification-webhooks", topics = WebhookTopics.DELIVERIES)
	void deliver(ConsumerRecord<String, byte[]> record) {
		EventEnvelope<?> event = EventCodec.instance().decode(null, record.value());
		if (!(event.data() instanceof NotificationSent sent)) {
			throw new IllegalArgumentException(event.type().token() + " is not a notification");
		}
		if (!WebhookTopics.DELIVERIES.equals(record.topic())) {
			this.metrics.webhookRetried();
		}
		post(record.value(), sent.notificationId().toString());
		EventEnvelope<NotificationSent> delivered = event.causes(SOURCE,
				new NotificationSent(NotificationIds.of(sent.sourceEventId(), Channel.WEBHOOK), sent.customerId(),
						Channel.WEBHOOK, sent.subject(), sent.text(), sent.sourceEventId(), sent.sourceEventType()));
		KafkaWrites.acknowledged(
				() -> this.kafka.send(WebhookTopics.DELIVERED, delivered.key(),
						EventCodec.instance().encode(delivered)),
				this.properties.webhookTimeout(), "Kafka did not record the webhook delivery");
		this.metrics.sent(sent.sourceEventType(), Channel.WEBHOOK.name());
	}

	/**
	 * POSTs a notification within one deadline for the whole call: connecting, sending,
	 * and reading the whole answer. Time-outs per read would let an endpoint that answers
	 * a byte now and then hold the listener, and every delivery behind it, for as long as
	 * it likes.
	 */
	private void post(byte[] body, String idempotencyKey) {
		Future<?> call = this.calls.submit(() -> this.http.post()
			.uri(this.url)
			.contentType(CLOUD_EVENT)
			.header("Idempotency-Key", idempotencyKey)
			.body(body)
			.retrieve()
			.toBodilessEntity());
		try {
			call.get(this.properties.webhookTimeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			call.cancel(true);
			throw new WebhookTimeoutException(
					"The webhook did not answer within " + this.properties.webhookTimeout().toMillis() + " ms");
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof RuntimeException failure) ? failure
					: new IllegalStateException(ex.getCause());
		}
		catch (InterruptedException ex) {
			call.cancel(true);
			Thread.currentThread().interrupt();
			throw new WebhookTimeoutException("Interrupted while calling the webhook");
		}
	}

	@PreDestroy
	void stopCalls() {
		this.calls.shutdownNow();
	}

	/** The webhook did not answer within its deadline; retried as any failed call is. */
	static final class WebhookTimeoutException extends RuntimeException {

		WebhookTimeoutException(String message) {
			super(message);
		}

	}

	@DltHandler
	void failed(ConsumerRecord<String, byte[]> record) {
		this.metrics.webhookFailed();
		logger.warn("Webhook delivery for order {} failed on every attempt; it is in {}", record.key(),
				WebhookTopics.DEAD_LETTERS);
	}

}
