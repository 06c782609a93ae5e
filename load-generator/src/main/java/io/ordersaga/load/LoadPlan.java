package io.ordersaga.load;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What one load run does.
 *
 * @param label a name for the run in reports, such as {@code open-500}
 * @param mode an open model at a fixed rate, or as fast as the suite answers
 * @param rate orders per second ({@link Mode#OPEN})
 * @param concurrency how many orders are in flight at once ({@link Mode#MAX})
 * @param duration how long orders are sent
 * @param customers how many customers the orders are spread over
 * @param keyed whether each order carries an {@code Idempotency-Key}, as a careful client
 * sends it; curl and most clients send none
 * @param target where the suite listens
 */
public record LoadPlan(String label, Mode mode, int rate, int concurrency, Duration duration, int customers,
		boolean keyed, Target target) {

	/** How orders are sent. */
	public enum Mode {

		/**
		 * One order every {@code 1/rate} seconds whatever the answers, latency counted
		 * from each order's intended send time (no coordinated omission).
		 */
		OPEN,

		/**
		 * A fixed number of clients, each sending its next order once the previous one is
		 * answered: the most the suite takes. A client refused with {@code 503} waits as
		 * its {@code Retry-After} asks (and up to half as long again, so that refused
		 * clients do not all come back at once), as a well-behaved client does.
		 */
		MAX,

		/**
		 * As {@link #MAX}, but a refused client sends again at once, ignoring
		 * {@code Retry-After}: the flood admission control has to stand.
		 */
		FLOOD

	}

	/**
	 * Where the suite listens.
	 *
	 * @param ordersUrls the base URL of each instance of order-service: the orders are
	 * sent to each in turn
	 * @param paymentsUrl payment-service's base URL, to credit the customers' accounts
	 * @param bootstrapServers the broker, to observe each order's final event
	 * @param secure how to sign in to a suite in secure mode, or {@code null} for one in
	 * the open mode
	 */
	public record Target(List<String> ordersUrls, String paymentsUrl, String bootstrapServers,
			@Nullable SecureAccess secure) {

		/** The suite as {@code ./run} or {@code docker compose up} start it. */
		public static final Target LOCAL = new Target(List.of("http://localhost:8081"), "http://localhost:8082",
				"localhost:9092");

		/**
		 * A suite in the open mode.
		 * @param ordersUrls the base URL of each instance of order-service
		 * @param paymentsUrl payment-service's base URL
		 * @param bootstrapServers the broker
		 */
		public Target(List<String> ordersUrls, String paymentsUrl, String bootstrapServers) {
			this(ordersUrls, paymentsUrl, bootstrapServers, null);
		}

		/**
		 * How a Kafka client of the load generator connects.
		 * @return the bootstrap servers and, in secure mode, the admin's credentials
		 */
		Map<String, Object> kafkaClient() {
			Map<String, Object> client = new HashMap<>();
			if (this.secure != null) {
				client.putAll(this.secure.kafkaClient());
			}
			client.put("bootstrap.servers", this.bootstrapServers);
			return client;
		}

		public Target {
			if (ordersUrls.isEmpty()) {
				throw new IllegalArgumentException("No URL of order-service to send orders to");
			}
			ordersUrls = List.copyOf(ordersUrls);
		}

	}

}
