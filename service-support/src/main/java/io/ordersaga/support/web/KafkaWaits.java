package io.ordersaga.support.web;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.springframework.kafka.support.SendResult;

/**
 * Every wait on Kafka a request makes: for a write's acknowledgement, or for a read model
 * to catch up. When Kafka is slow or down such a wait takes seconds, and requests pouring
 * in would hold every request thread waiting, so that health checks and everything else
 * time out. Two bounds prevent it:
 * <ul>
 * <li>at most {@code maxWaiting} requests wait at once; one that finds no room within 200
 * ms (a burst of healthy writes makes room in that time) is answered {@code 503};</li>
 * <li>after a write that Kafka did not acknowledge in time, requests are answered
 * {@code 503} at once for a cool-down, rather than each waiting out its own time-out; the
 * first request after it tries again.</li>
 * </ul>
 * Both answers carry {@code Retry-After}, and nothing was written: a client retries with
 * the same {@code Idempotency-Key}.
 */
public class KafkaWaits {

	/** How long a request waits for room among those waiting on Kafka. */
	private static final long ROOM_WAIT_MILLIS = 200;

	private final Semaphore waiting;

	private final int maxWaiting;

	private final long coolDownNanos;

	private volatile long unavailableUntil;

	private volatile boolean failed;

	/**
	 * Creates the bounds.
	 * @param maxWaiting how many requests may wait on Kafka at once
	 * @param coolDown how long requests are answered at once after a wait that failed
	 */
	public KafkaWaits(int maxWaiting, Duration coolDown) {
		this.maxWaiting = maxWaiting;
		this.waiting = new Semaphore(maxWaiting);
		this.coolDownNanos = coolDown.toNanos();
	}

	/**
	 * Sends and waits for the acknowledgement.
	 * @param <K> the key type
	 * @param <V> the value type
	 * @param send starts the write, for example {@code () -> template.send(...)}
	 * @param timeout how long to wait for the acknowledgement
	 * @param whenUnavailable what the client is told when it does not come
	 * @return the acknowledged write
	 * @throws BrokerUnavailableException (503) if it does not come in time, or if the
	 * request may not wait
	 */
	public <K, V> SendResult<K, V> acknowledged(Supplier<CompletableFuture<SendResult<K, V>>> send, Duration timeout,
			String whenUnavailable) {
		return bounded(() -> KafkaWrites.acknowledged(send, timeout, whenUnavailable), whenUnavailable, true);
	}

	/**
	 * Runs a wait on Kafka within the bounds.
	 * @param <T> the result type
	 * @param wait the wait; it throws {@link BrokerUnavailableException} when Kafka does
	 * not answer in time
	 * @param whenUnavailable what the client is told when it may not wait
	 * @return the wait's result
	 * @throws BrokerUnavailableException (503) if the wait failed, or if the request may
	 * not wait
	 */
	public <T> T waitFor(Supplier<T> wait, String whenUnavailable) {
		// A read may wait in vain for other reasons than Kafka (a transaction a crashed
		// writer left open holds a partition back), so only a write's failure makes the
		// others answer at once.
		return bounded(wait, whenUnavailable, false);
	}

	private <T> T bounded(Supplier<T> wait, String whenUnavailable, boolean failureMeansUnavailable) {
		if (this.failed && System.nanoTime() - this.unavailableUntil < 0) {
			throw new BrokerUnavailableException(whenUnavailable + " (Kafka did not take a write a moment ago.)", null);
		}
		try {
			if (!this.waiting.tryAcquire(ROOM_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
				throw new BrokerUnavailableException(
						whenUnavailable + " (" + this.maxWaiting + " requests are waiting for Kafka already.)", null);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BrokerUnavailableException(whenUnavailable, ex);
		}
		try {
			T result = wait.get();
			if (failureMeansUnavailable) {
				this.failed = false;
			}
			return result;
		}
		catch (BrokerUnavailableException ex) {
			if (failureMeansUnavailable) {
				this.unavailableUntil = System.nanoTime() + this.coolDownNanos;
				this.failed = true;
			}
			throw ex;
		}
		finally {
			this.waiting.release();
		}
	}

}
