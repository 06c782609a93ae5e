package io.ordersaga.notification.feed;

import java.util.List;

import io.ordersaga.support.security.CallerAccess;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** The notifications API: a customer's feed, and a live stream of it. */
@RestController
@RequestMapping("/notifications")
class NotificationController {

	private static final String CUSTOMER_ID = "[A-Za-z0-9._-]*";

	private final NotificationFeed feed;

	private final NotificationStreams streams;

	private final CallerAccess callers;

	NotificationController(NotificationFeed feed, NotificationStreams streams, CallerAccess callers) {
		this.feed = feed;
		this.streams = streams;
		this.callers = callers;
	}

	/**
	 * Ends the open streams when the application stops, so a graceful shutdown does not
	 * wait for clients that would otherwise stay connected; they reconnect to another
	 * instance.
	 */
	@EventListener(ContextClosedEvent.class)
	void closeStreams() {
		this.streams.closeAll();
	}

	@GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
	List<Notification> notifications(
			@RequestParam @Size(min = 1, max = 64) @Pattern(regexp = CUSTOMER_ID) String customerId,
			@RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
		this.callers.checkMaySee(customerId);
		return this.feed.of(customerId, limit);
	}

	@GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter stream(@RequestParam @Size(min = 1, max = 64) @Pattern(regexp = CUSTOMER_ID) String customerId) {
		this.callers.checkMaySee(customerId);
		return this.streams.open(customerId);
	}

}
