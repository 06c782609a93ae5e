package io.ordersaga.notification.feed;

import java.io.IOException;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

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

	/**
	 * An open stream that has heard nothing for this long is closed; the client
	 * reconnects.
	 */
	private static final long STREAM_TIMEOUT_MILLIS = 30 * 60 * 1000L;

	private final NotificationFeed feed;

	NotificationController(NotificationFeed feed) {
		this.feed = feed;
	}

	@GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
	List<Notification> notifications(
			@RequestParam @Size(min = 1, max = 64) @Pattern(regexp = CUSTOMER_ID) String customerId,
			@RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
		return this.feed.of(customerId, limit);
	}

	@GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter stream(@RequestParam @Size(min = 1, max = 64) @Pattern(regexp = CUSTOMER_ID) String customerId) {
		SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT_MILLIS);
		Runnable unsubscribe = this.feed.subscribe(customerId, (notification) -> {
			try {
				emitter.send(SseEmitter.event()
					.id(notification.notificationId().toString())
					.name("notification")
					.data(notification, MediaType.APPLICATION_JSON));
			}
			catch (IOException | IllegalStateException ex) {
				emitter.completeWithError(ex);
			}
		});
		emitter.onCompletion(unsubscribe);
		emitter.onTimeout(unsubscribe);
		emitter.onError((ex) -> unsubscribe.run());
		return emitter;
	}

}
