package io.ordersaga.support.streams;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a stream thread that died of an unexpected error — which aborts its
 * transaction, so the records since the last commit are read again — but only after a
 * pause that doubles with each failure in a row, up to a longest pause: a failure that
 * lasts (a store or a dependency that is down) is retried without spinning. A quiet spell
 * as long as twice the longest pause starts the pauses afresh. It tells the health check
 * when a thread waits to be replaced, and when threads fail again and again.
 */
public final class ReplaceThreadAfterBackOff implements StreamsUncaughtExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ReplaceThreadAfterBackOff.class);

	private final Duration firstPause;

	private final Duration longestPause;

	private int failuresInARow;

	private long lastFailure;

	private final AtomicInteger replacing = new AtomicInteger();

	/**
	 * Creates the handler.
	 * @param firstPause the pause after a first failure
	 * @param longestPause the longest pause
	 */
	public ReplaceThreadAfterBackOff(Duration firstPause, Duration longestPause) {
		this.firstPause = firstPause;
		this.longestPause = longestPause;
	}

	@Override
	public StreamThreadExceptionResponse handle(Throwable exception) {
		Duration pause = nextPause();
		logger.warn("A stream thread failed; replacing it in {} ms: {}", pause.toMillis(), exception.toString());
		this.replacing.incrementAndGet();
		try {
			Thread.sleep(pause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.replacing.decrementAndGet();
		}
		return StreamThreadExceptionResponse.REPLACE_THREAD;
	}

	/**
	 * Whether a failed stream thread waits out its pause before being replaced.
	 * @return {@code true} while one does
	 */
	public boolean isReplacing() {
		return this.replacing.get() > 0;
	}

	/**
	 * Whether stream threads failed twice or more in a row, the last time within twice
	 * the longest pause: the same record, or a dependency, failing them again and again.
	 * @return {@code true} until a quiet spell as long as the one that starts the pauses
	 * afresh
	 */
	public synchronized boolean isFailingRepeatedly() {
		return this.failuresInARow >= 2
				&& System.nanoTime() - this.lastFailure <= this.longestPause.multipliedBy(2).toNanos();
	}

	synchronized Duration nextPause() {
		long now = System.nanoTime();
		if (this.failuresInARow > 0 && now - this.lastFailure > this.longestPause.multipliedBy(2).toNanos()) {
			this.failuresInARow = 0;
		}
		this.lastFailure = now;
		Duration pause = this.firstPause.multipliedBy(1L << Math.min(this.failuresInARow, 30));
		this.failuresInARow++;
		return (pause.compareTo(this.longestPause) > 0) ? this.longestPause : pause;
	}

}
