package io.ordersaga.support.streams;

import java.time.Duration;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces a stream thread that died of an unexpected error — which aborts its
 * transaction, so the records since the last commit are read again — but only after a
 * pause that doubles with each failure in a row, up to a longest pause: a failure that
 * lasts (a store or a dependency that is down) is retried without spinning. A quiet spell
 * as long as twice the longest pause starts the pauses afresh.
 */
public final class ReplaceThreadAfterBackOff implements StreamsUncaughtExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ReplaceThreadAfterBackOff.class);

	private final Duration firstPause;

	private final Duration longestPause;

	private int failuresInARow;

	private long lastFailure;

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
		try {
			Thread.sleep(pause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return StreamThreadExceptionResponse.REPLACE_THREAD;
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
