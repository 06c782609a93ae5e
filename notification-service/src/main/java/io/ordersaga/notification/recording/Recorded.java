package io.ordersaga.notification.recording;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.NotificationSent;

/** What the recording topology writes. */
sealed interface Recorded {

	/** The in-app notification, for {@code notifications}. */
	record Notification(EventEnvelope<NotificationSent> event) implements Recorded {
	}

	/** The same notification, to be POSTed to the webhook. */
	record WebhookRequest(EventEnvelope<NotificationSent> event) implements Recorded {
	}

}
