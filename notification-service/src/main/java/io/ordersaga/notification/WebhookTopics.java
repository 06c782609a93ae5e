package io.ordersaga.notification;

/**
 * notification-service's own topics for webhook delivery, created by the service:
 * requests, their retry topics (created by Spring Kafka's non-blocking retries), the
 * dead-letter topic of deliveries that failed on every attempt, and the deliveries made.
 */
public final class WebhookTopics {

	/** One record per notification to POST, keyed by order id. */
	public static final String DELIVERIES = "notification-webhooks";

	/** Deliveries that failed on the last attempt, with the error in their headers. */
	public static final String DEAD_LETTERS = DELIVERIES + "-dlt";

	/**
	 * One record per successful call, possibly repeated after a crash; the recording
	 * topology writes each to {@code notifications} once.
	 */
	public static final String DELIVERED = DELIVERIES + "-delivered";

	/** Records of {@link #DELIVERED} that are not notifications. */
	public static final String DELIVERED_DEAD_LETTERS = DELIVERED + "-dlt";

	private WebhookTopics() {
	}

}
