package io.ordersaga.notification.feed;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.ordersaga.notification.NotificationProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The live notification streams of one instance, bounded: at most so many in all and so
 * many per customer, each with a queue of its own that one virtual thread writes to the
 * client. The feed only puts a notification in the queues of the customer's streams, so a
 * slow or stalled client holds up nobody: when its queue is full, its stream is closed
 * (the client reconnects and reads what it missed from the listing). A heartbeat comment
 * every so often makes a dead client's stream fail and close. A customer's subscription
 * to the feed ends with their last stream.
 */
@Component
class NotificationStreams implements DisposableBean {

	private static final Logger logger = LoggerFactory.getLogger(NotificationStreams.class);

	/** What a stream's queue holds for a heartbeat. */
	private static final Object HEARTBEAT = new Object();

	/**
	 * A stream that has been open this long is closed; the client reconnects. Keeps a
	 * stream that the heartbeat cannot reach from lasting for ever.
	 */
	private static final long STREAM_TIMEOUT_MILLIS = 30 * 60 * 1000L;

	private final NotificationFeed feed;

	private final NotificationProperties.Streams limits;

	private final Set<Stream> open = ConcurrentHashMap.newKeySet();

	private final Map<String, AtomicInteger> perCustomer = new ConcurrentHashMap<>();

	private final ScheduledExecutorService heartbeat = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("notification-heartbeat").factory());

	NotificationStreams(NotificationFeed feed, NotificationProperties properties) {
		this.feed = feed;
		this.limits = properties.streams();
		NotificationProperties.Streams limits = this.limits;
		long every = limits.heartbeat().toMillis();
		this.heartbeat.scheduleWithFixedDelay(
				() -> this.open.forEach((stream) -> stream.offer(HEARTBEAT, "missed its heartbeat")), every, every,
				TimeUnit.MILLISECONDS);
	}

	/**
	 * Opens a stream of a customer's notifications.
	 * @param customerId the customer
	 * @return the stream
	 * @throws ErrorResponseException 503 when the instance has as many streams open as it
	 * takes, 429 when the customer has; both with {@code Retry-After}
	 */
	SseEmitter open(String customerId) {
		AtomicInteger customerStreams = this.perCustomer.computeIfAbsent(customerId, (id) -> new AtomicInteger());
		synchronized (this) {
			if (this.open.size() >= this.limits.max()) {
				forgetIfUnused(customerId);
				throw refused(HttpStatus.SERVICE_UNAVAILABLE, "Too many streams",
						"This instance has " + this.limits.max() + " notification streams open, as many as it "
								+ "takes; retry shortly, or read GET /notifications meanwhile.");
			}
			if (customerStreams.get() >= this.limits.maxPerCustomer()) {
				throw refused(HttpStatus.TOO_MANY_REQUESTS, "Too many streams",
						customerId + " has " + this.limits.maxPerCustomer() + " notification streams open, as many "
								+ "as a customer may; close one first.");
			}
			customerStreams.incrementAndGet();
			Stream stream = new Stream(customerId, new SseEmitter(STREAM_TIMEOUT_MILLIS));
			this.open.add(stream);
			stream.start();
			return stream.emitter;
		}
	}

	/**
	 * How many streams are open.
	 * @return the count
	 */
	int openStreams() {
		return this.open.size();
	}

	/**
	 * The customers with a stream open, or whose last stream is closing.
	 * @return their ids
	 */
	Set<String> customers() {
		return Set.copyOf(this.perCustomer.keySet());
	}

	/**
	 * Ends every stream, so a graceful shutdown does not wait for clients that would
	 * otherwise stay connected; they reconnect to another instance.
	 */
	void closeAll() {
		this.open.forEach((stream) -> stream.close(null));
	}

	@Override
	public void destroy() {
		this.heartbeat.shutdownNow();
		closeAll();
	}

	private synchronized void closed(Stream stream) {
		if (this.open.remove(stream)) {
			AtomicInteger count = this.perCustomer.get(stream.customerId);
			if (count != null) {
				count.decrementAndGet();
			}
			forgetIfUnused(stream.customerId);
		}
	}

	private void forgetIfUnused(String customerId) {
		this.perCustomer.computeIfPresent(customerId, (id, count) -> (count.get() <= 0) ? null : count);
	}

	private static ErrorResponseException refused(HttpStatus status, String title, String detail) {
		ErrorResponseException refused = new ErrorResponseException(status) {

			@Override
			public HttpHeaders getHeaders() {
				HttpHeaders headers = new HttpHeaders();
				headers.set(HttpHeaders.RETRY_AFTER, "5");
				return headers;
			}

		};
		refused.getBody().setTitle(title);
		refused.getBody().setDetail(detail);
		return refused;
	}

	/** One client's stream: its queue, and the virtual thread that writes it out. */
	private final class Stream {

		private final String customerId;

		private final SseEmitter emitter;

		private final BlockingQueue<Object> queue;

		private final AtomicBoolean closed = new AtomicBoolean();

		private volatile Runnable unsubscribe = () -> {
		};

		private final Thread writer;

		Stream(String customerId, SseEmitter emitter) {
			this.customerId = customerId;
			this.emitter = emitter;
			this.queue = new ArrayBlockingQueue<>(NotificationStreams.this.limits.queue());
			this.writer = Thread.ofVirtual().unstarted(this::write);
		}

		void start() {
			// Commits the response, so the client knows at once that the stream is open.
			this.queue.add("subscribed to " + this.customerId);
			this.emitter.onCompletion(() -> close(null));
			this.emitter.onTimeout(() -> close(null));
			this.emitter.onError((ex) -> close(null));
			this.unsubscribe = NotificationStreams.this.feed.subscribe(this.customerId,
					(notification) -> offer(notification, "did not keep up with its notifications"));
			this.writer.start();
		}

		void offer(Object item, String reasonToClose) {
			if (!this.queue.offer(item)) {
				logger.info("Closing a notification stream of {}: the client {}", this.customerId, reasonToClose);
				close(null);
			}
		}

		private void write() {
			try {
				while (!this.closed.get()) {
					Object item = this.queue.take();
					if (item instanceof Notification notification) {
						this.emitter.send(SseEmitter.event()
							.id(notification.notificationId().toString())
							.name("notification")
							.data(notification, MediaType.APPLICATION_JSON));
					}
					else {
						this.emitter.send(SseEmitter.event().comment((item == HEARTBEAT) ? "" : item.toString()));
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (IOException | IllegalStateException ex) {
				close(ex);
			}
		}

		/**
		 * Closes the stream without blocking: the caller may be the feed's thread, and
		 * completing the response waits for a write in progress, which a stalled client
		 * holds until the socket's write time-out.
		 */
		void close(@Nullable Throwable failure) {
			if (this.closed.compareAndSet(false, true)) {
				this.unsubscribe.run();
				this.writer.interrupt();
				NotificationStreams.this.closed(this);
				Thread.ofVirtual().start(() -> {
					try {
						if (failure != null) {
							this.emitter.completeWithError(failure);
						}
						else {
							this.emitter.complete();
						}
					}
					catch (IllegalStateException ex) {
						// The connection failed and the container has ended the request.
					}
				});
			}
		}

	}

}
