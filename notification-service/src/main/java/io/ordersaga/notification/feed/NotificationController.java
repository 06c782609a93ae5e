package io.ordersaga.notification.feed;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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

	/**
	 * An open stream that has heard nothing for this long is closed; the client
	 * reconnects.
	 */
	private static final long STREAM_TIMEOUT_MILLIS = 30 * 60 * 1000L;

	private final NotificationFeed feed;

	private final Set<SseEmitter> streams = ConcurrentHashMap.newKeySet();

	NotificationController(NotificationFeed feed) {
		this.feed = feed;
	}

	/**
	 * Ends the open streams when the application stops, so a graceful shutdown does not
	 * wait for clients that would otherwise stay connected; they reconnect to another
	 * instance.
	 */
	@EventListener(ContextClosedEvent.class)
	void closeStreams() {
		this.streams.forEach(SseEmitter::complete);
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
		this.streams.add(emitter);
		Runnable close = () -> {
			unsubscribe.run();
			this.streams.remove(emitter);
		};
		emitter.onCompletion(close);
		emitter.onTimeout(close);
		emitter.onError((ex) -> close.run());
		try {
			// Commits the response, so the client knows at once that the stream is open.
			emitter.send(SseEmitter.event().comment("subscribed to " + customerId));
		}
		catch (IOException ex) {
			emitter.completeWithError(ex);
		}
		return emitter;
	}

}
