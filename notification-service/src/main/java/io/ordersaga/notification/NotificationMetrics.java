package io.ordersaga.notification;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Counts notifications: {@code notifications.sent} by source event type and channel,
 * {@code notifications.webhook.retries} and {@code notifications.webhook.failures}. Dead
 * letters are counted where they are written ({@code saga.dead.letters},
 * service-support).
 */
@Component
public class NotificationMetrics {

	private final MeterRegistry registry;

	public NotificationMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	public void sent(String sourceEventType, String channel) {
		this.registry.counter("notifications.sent", "type", sourceEventType, "channel", channel).increment();
	}

	public void webhookRetried() {
		this.registry.counter("notifications.webhook.retries").increment();
	}

	public void webhookFailed() {
		this.registry.counter("notifications.webhook.failures").increment();
	}

}
