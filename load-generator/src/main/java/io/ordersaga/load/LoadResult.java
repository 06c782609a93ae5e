package io.ordersaga.load;

import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * What one load run measured. Latencies are in milliseconds, counted from each order's
 * intended send time.
 *
 * @param label the run's name
 * @param mode {@code OPEN} or {@code MAX}
 * @param targetRate the intended orders per second ({@code OPEN})
 * @param concurrency the clients ({@code MAX})
 * @param seconds how long orders were sent
 * @param sent orders sent
 * @param accepted orders order-service answered {@code 202} to
 * @param acceptedPerSecond accepted orders per second while sending
 * @param completedPerSecond orders whose saga ended, per second, from the first send to
 * the last final event
 * @param outcomes final states and how many orders ended in each
 * @param errors failed sends by kind ({@code HTTP 503} among them: the refusals)
 * @param unfinished accepted orders whose final event was not seen within the drain time
 * @param post the {@code POST /orders} latency, of every answer
 * @param refusals the latency of the answers that were {@code 503} (order-service's
 * admission control refusing, or no broker), alone
 * @param endToEnd from the intended send time to the order's final event on
 * {@code orders}
 * @param cpuMillisPerSaga the whole machine's CPU time (every process: broker, services,
 * the generator itself, the kernel) from the first send to the last final event, per
 * completed saga; {@code -1} where the machine does not say (not Linux)
 * @param timeline each second of the run
 */
public record LoadResult(String label, String mode, int targetRate, int concurrency, double seconds, long sent,
		long accepted, double acceptedPerSecond, double completedPerSecond, Map<String, Long> outcomes,
		Map<String, Long> errors, long unfinished, Latency post, Latency refusals, Latency endToEnd,
		double cpuMillisPerSaga, List<Second> timeline) {

	/**
	 * The orders refused with {@code 503}.
	 * @return how many
	 */
	public long refused() {
		return this.errors.getOrDefault("HTTP 503", 0L);
	}

	/**
	 * Latency percentiles in milliseconds.
	 *
	 * @param count how many were measured
	 * @param mean the mean
	 * @param p50 the median
	 * @param p90 the 90th percentile
	 * @param p99 the 99th percentile
	 * @param p999 the 99.9th percentile
	 * @param max the largest
	 */
	public record Latency(long count, double mean, double p50, double p90, double p99, double p999, double max) {

		/** From a histogram recorded in microseconds. */
		static Latency of(Histogram micros) {
			if (micros.getTotalCount() == 0) {
				return new Latency(0, 0, 0, 0, 0, 0, 0);
			}
			return new Latency(micros.getTotalCount(), millis(micros.getMean()),
					millis(micros.getValueAtPercentile(50)), millis(micros.getValueAtPercentile(90)),
					millis(micros.getValueAtPercentile(99)), millis(micros.getValueAtPercentile(99.9)),
					millis(micros.getMaxValue()));
		}

		private static double millis(double micros) {
			return Math.round(micros / 10.0) / 100.0;
		}

	}

	/**
	 * One second of a run.
	 *
	 * @param second seconds since the first send
	 * @param accepted orders accepted in this second
	 * @param completed orders that ended in this second
	 * @param postP99 the 99th percentile of the POSTs answered in this second
	 * @param endToEndP50 the median of the sagas that ended in this second
	 * @param endToEndP99 the 99th percentile of the sagas that ended in this second
	 */
	public record Second(int second, long accepted, long completed, double postP99, double endToEndP50,
			double endToEndP99) {
	}

}
