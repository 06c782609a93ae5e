package io.ordersaga.events;

import java.util.UUID;

/**
 * notification-service told a customer about an outcome of their order.
 *
 * @param notificationId derived from the source event id, so a redelivered source event
 * yields the same notification
 * @param customerId the recipient
 * @param channel where the notification went
 * @param subject a one-line summary
 * @param text the message in words a customer understands
 * @param sourceEventId the id of the event this notification is about
 * @param sourceEventType the type token of that event
 */
public record NotificationSent(UUID notificationId, String customerId, Channel channel, String subject, String text,
		UUID sourceEventId, String sourceEventType) implements NotificationEvent {

	public NotificationSent {
		Contract.required(notificationId, "notificationId");
		Contract.requiredText(customerId, "customerId");
		Contract.required(channel, "channel");
		Contract.requiredText(subject, "subject");
		Contract.requiredText(text, "text");
		Contract.required(sourceEventId, "sourceEventId");
		Contract.requiredText(sourceEventType, "sourceEventType");
	}

	/** Where a notification is delivered. */
	public enum Channel {

		/** The customer's feed inside the application. */
		IN_APP,

		/** An HTTP POST to a configured URL. */
		WEBHOOK

	}

}
