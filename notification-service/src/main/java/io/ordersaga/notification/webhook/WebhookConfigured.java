package io.ordersaga.notification.webhook;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Matches when {@code ordersaga.notifications.webhook-url} has a value. The URL is read
 * as a plain value: pasted into a SpEL expression, as it once was, a URL with a quote in
 * it ran whatever expression followed.
 */
class WebhookConfigured implements Condition {

	static final String PROPERTY = "ordersaga.notifications.webhook-url";

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return StringUtils.hasText(context.getEnvironment().getProperty(PROPERTY));
	}

}
