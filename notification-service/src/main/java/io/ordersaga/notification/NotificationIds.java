package io.ordersaga.notification;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.ordersaga.events.NotificationSent.Channel;

/**
 * Notification ids are derived from the source event's id and the channel, so every
 * delivery of an event — a redelivery, a duplicate, a retry after a crash — names the
 * same notification, which anyone (the feed, a webhook's receiver) can recognise.
 */
public final class NotificationIds {

	private NotificationIds() {
	}

	/**
	 * The id of the notification about an event on a channel.
	 * @param sourceEventId the event's id
	 * @param channel the channel
	 * @return a name-based UUID
	 */
	public static UUID of(UUID sourceEventId, Channel channel) {
		return UUID.nameUUIDFromBytes(
				("ordersaga:notification:" + sourceEventId + ":" + channel).getBytes(StandardCharsets.UTF_8));
	}

}
