package io.ordersaga.events;

import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * How the topics the suite creates are replicated. Unless told otherwise, the cluster
 * decides: a topic created without a replication factor gets the brokers'
 * {@code default.replication.factor}, and one without {@code min.insync.replicas} of its
 * own follows the brokers' setting. So the same suite creates topics with one replica on
 * a single broker and with three, two of them in sync for a write, on a cluster whose
 * defaults say so. {@code REPLICATION_FACTOR} and {@code MIN_INSYNC_REPLICAS} override
 * the cluster's defaults everywhere the suite creates topics: the services (their own
 * topics and Kafka Streams' internal ones), {@code ./run} and compose's topic job.
 *
 * @param factor the replication factor, or {@code null} for the cluster's default
 * @param minInsyncReplicas the replicas that must have a write before it counts, or
 * {@code null} for the cluster's default
 */
public record Replication(@Nullable Short factor, @Nullable Integer minInsyncReplicas) {

	/** The environment variable that overrides the replication factor. */
	public static final String FACTOR_VARIABLE = "REPLICATION_FACTOR";

	/** The environment variable that overrides {@code min.insync.replicas}. */
	public static final String MIN_INSYNC_VARIABLE = "MIN_INSYNC_REPLICAS";

	/** The cluster's defaults for both. */
	public static final Replication CLUSTER_DEFAULTS = new Replication(null, null);

	public Replication {
		if (factor != null && factor < 1) {
			throw new IllegalArgumentException(
					"The replication factor must be at least 1 (or unset for the cluster's default), not " + factor);
		}
		if (minInsyncReplicas != null && minInsyncReplicas < 1) {
			throw new IllegalArgumentException(
					"min.insync.replicas must be at least 1 (or unset for the cluster's default), not "
							+ minInsyncReplicas);
		}
		if (factor != null && minInsyncReplicas != null && minInsyncReplicas > factor) {
			throw new IllegalArgumentException("min.insync.replicas (" + minInsyncReplicas
					+ ") is more than the replication factor (" + factor + "): no write could ever succeed");
		}
	}

	/**
	 * The replication that environment variables ask for.
	 * @param environment the environment
	 * @return the cluster's defaults, overridden by {@value #FACTOR_VARIABLE} and
	 * {@value #MIN_INSYNC_VARIABLE} where set
	 * @throws IllegalArgumentException when a variable is not a positive number
	 */
	public static Replication fromEnvironment(Map<String, String> environment) {
		Integer factor = number(environment, FACTOR_VARIABLE);
		if (factor != null && factor > Short.MAX_VALUE) {
			throw new IllegalArgumentException(FACTOR_VARIABLE + " is too large: " + factor);
		}
		return new Replication((factor != null) ? factor.shortValue() : null, number(environment, MIN_INSYNC_VARIABLE));
	}

	private static @Nullable Integer number(Map<String, String> environment, String variable) {
		String value = environment.get(variable);
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return Integer.valueOf(value.strip());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(variable + " must be a number, not '" + value + "'", ex);
		}
	}

	/**
	 * The replication factor to create a topic with.
	 * @return the factor, or empty for the cluster's default
	 */
	public Optional<Short> factorOrDefault() {
		return Optional.ofNullable(this.factor);
	}

	/**
	 * The topic settings this replication adds to a topic's own.
	 * @return {@code min.insync.replicas} where overridden, otherwise nothing
	 */
	public Map<String, String> topicConfigs() {
		return (this.minInsyncReplicas != null) ? Map.of("min.insync.replicas", this.minInsyncReplicas.toString())
				: Map.of();
	}

}
