package io.ordersaga.order.saga;

import java.time.Duration;

/**
 * Whether payment-service is answering, as one task of the saga hears it: how long ago
 * the task last read a payment event, not counting the time the task itself stood still.
 *
 * <p>
 * The saga cancels an order with {@code PAYMENT_TIMEOUT} for a payment-service that is
 * down or cut off. One that is only behind (short of CPU, catching up after a broker
 * failed over) keeps answering other orders, and cancelling the orders it has not reached
 * yet would cancel orders their customers can pay, then refund their late charges. A task
 * that stood still (a broker it waited on, a machine short of CPU) heard nothing because
 * it did not listen, so that time is not counted as payment-service's silence: after a
 * standstill payment-service gets the whole silence period to be heard again.
 *
 * <p>
 * Held by the task's processor on the stream thread, in memory: after a restart the
 * silence counts from the start.
 */
final class PaymentSilence {

	/** The shortest gap between two checks taken for a standstill of the task. */
	static final long STANDSTILL_MILLIS = 2_000;

	private final long silenceMillis;

	private final long checkIntervalMillis;

	private long lastHeard;

	private long lastCheck;

	/**
	 * Starts listening.
	 * @param silence how long payment-service must have said nothing to be silent
	 * @param checkInterval how often {@link #silent} is asked while the task runs
	 * @param now the wall-clock time now, in epoch milliseconds
	 */
	PaymentSilence(Duration silence, Duration checkInterval, long now) {
		this.silenceMillis = silence.toMillis();
		this.checkIntervalMillis = checkInterval.toMillis();
		this.lastHeard = now;
		this.lastCheck = now;
	}

	/**
	 * Notes a payment event read.
	 * @param now the wall-clock time now, in epoch milliseconds
	 */
	void heard(long now) {
		this.lastHeard = Math.max(this.lastHeard, now);
	}

	/**
	 * Whether payment-service has said nothing for the silence period, asked at each of
	 * the saga's checks. A check that comes much later than the one before it ends a
	 * standstill of the task, which is taken out of the silence.
	 * @param now the wall-clock time now, in epoch milliseconds
	 * @return whether it is silent
	 */
	boolean silent(long now) {
		long sinceLastCheck = now - this.lastCheck;
		// A check late by a second or two is a busy machine; more is a standstill.
		if (sinceLastCheck > Math.max(2 * this.checkIntervalMillis, STANDSTILL_MILLIS)) {
			this.lastHeard = Math.min(now, this.lastHeard + sinceLastCheck - this.checkIntervalMillis);
		}
		this.lastCheck = Math.max(this.lastCheck, now);
		return now - this.lastHeard >= this.silenceMillis;
	}

	/**
	 * How long ago payment-service was last heard, standstills left out.
	 * @param now the wall-clock time now, in epoch milliseconds
	 * @return the time
	 */
	Duration sinceHeard(long now) {
		return Duration.ofMillis(Math.max(0, now - this.lastHeard));
	}

}
