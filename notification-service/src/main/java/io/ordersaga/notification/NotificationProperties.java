package io.ordersaga.notification;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where notifications go besides the in-app feed, and how many live streams of it an
 * instance keeps open.
 *
 * @param webhookUrl where each notification is POSTed as JSON; no webhook when empty
 * @param webhookTimeout how long one webhook call may take
 * @param streams the bounds on the live streams
 */
@ConfigurationProperties("ordersaga.notifications")
public record NotificationProperties(@Nullable URI webhookUrl, @DefaultValue("5s") Duration webhookTimeout,
		@DefaultValue Streams streams) {

	/**
	 * The bounds on the live notification streams of one instance.
	 *
	 * @param max how many may be open at once: a quarter of Tomcat's 1,024 connections,
	 * so that health checks, listings and orders always find one
	 * @param maxPerCustomer how many one customer may have open: a few browser tabs
	 * @param heartbeat how often an idle stream gets a comment, which makes a dead
	 * client's stream fail and close
	 * @param queue how many notifications a stream holds for a client that reads slowly
	 * before it is closed
	 */
	public record Streams(@DefaultValue("256") int max, @DefaultValue("4") int maxPerCustomer,
			@DefaultValue("15s") Duration heartbeat, @DefaultValue("64") int queue) {

	}

	/**
	 * Whether a webhook is configured.
	 * @return {@code true} if notifications are also POSTed to a URL
	 */
	public boolean webhookEnabled() {
		return this.webhookUrl != null && !this.webhookUrl.toString().isBlank();
	}

}
