package io.ordersaga.notification.feed;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.NotificationSent;
import io.ordersaga.events.NotificationSent.Channel;

/**
 * A notification as the feed shows it, with its delivery status on each channel.
 *
 * @param notificationId the in-app notification's id
 * @param orderId the order it is about
 * @param customerId the recipient
 * @param subject a one-line summary
 * @param text the message
 * @param sourceEventType the type of the event it is about
 * @param sourceEventId the id of that event
 * @param time when it was recorded
 * @param channels the delivery status on each channel it goes to
 */
public record Notification(UUID notificationId, UUID orderId, String customerId, String subject, String text,
		String sourceEventType, UUID sourceEventId, Instant time, Map<Channel, DeliveryStatus> channels) {

	public Notification {
		channels = Map.copyOf(channels);
	}

	static Notification recorded(EventEnvelope<NotificationSent> event, boolean webhook) {
		NotificationSent sent = event.data();
		Map<Channel, DeliveryStatus> channels = new EnumMap<>(Channel.class);
		channels.put(Channel.IN_APP, DeliveryStatus.DELIVERED);
		if (webhook) {
			channels.put(Channel.WEBHOOK, DeliveryStatus.PENDING);
		}
		return new Notification(sent.notificationId(), event.orderId(), sent.customerId(), sent.subject(), sent.text(),
				sent.sourceEventType(), sent.sourceEventId(), event.time(), channels);
	}

	Notification with(Channel channel, DeliveryStatus status) {
		Map<Channel, DeliveryStatus> updated = new EnumMap<>(Channel.class);
		updated.putAll(this.channels);
		updated.put(channel, status);
		return new Notification(this.notificationId, this.orderId, this.customerId, this.subject, this.text,
				this.sourceEventType, this.sourceEventId, this.time, updated);
	}

	/** Where a notification is on one channel. */
	public enum DeliveryStatus {

		/** Not delivered yet; retries may be under way. */
		PENDING,

		/** Delivered. */
		DELIVERED,

		/** Every attempt failed; the notification is in the webhook dead-letter topic. */
		FAILED

	}

}
