/**
 * Webhook deliveries: each notification POSTed to the configured endpoint, retried on
 * retry topics, and recorded once delivered or failed.
 */
@NullMarked
package io.ordersaga.notification.webhook;

import org.jspecify.annotations.NullMarked;
