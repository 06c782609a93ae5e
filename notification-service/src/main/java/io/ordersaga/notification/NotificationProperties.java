package io.ordersaga.notification;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where notifications go besides the in-app feed.
 *
 * @param webhookUrl where each notification is POSTed as JSON; no webhook when empty
 * @param webhookTimeout how long one webhook call may take
 */
@ConfigurationProperties("ordersaga.notifications")
public record NotificationProperties(@Nullable URI webhookUrl, @DefaultValue("5s") Duration webhookTimeout) {

	/**
	 * Whether a webhook is configured.
	 * @return {@code true} if notifications are also POSTed to a URL
	 */
	public boolean webhookEnabled() {
		return this.webhookUrl != null && !this.webhookUrl.toString().isBlank();
	}

}
