package io.ordersaga.support;

import java.time.Duration;

import io.ordersaga.events.Replication;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Kafka settings shared by the services.
 *
 * @param replicationFactor the replication factor of the topics the service creates, its
 * Kafka Streams internal topics included; unset, the cluster's
 * {@code default.replication.factor} ({@code REPLICATION_FACTOR}, see
 * {@link Replication})
 * @param minInsyncReplicas the {@code min.insync.replicas} of those topics; unset, the
 * cluster's ({@code MIN_INSYNC_REPLICAS})
 * @param healthTimeout how long the health check waits for the broker to answer
 * @param stateRetention how long, in stream time, the state stores keep what is kept only
 * to recognise a late duplicate or a late event: a finished saga, a payment outcome
 * parked for an order that never came, a decision on an order, the ids of what was
 * already done ({@link io.ordersaga.support.streams.StoreExpiry}). A day: duplicates are
 * written within seconds of the original, and an order's events follow it within the
 * payment timeout; a day also covers the events of one part of the suite that lagged
 * behind the others for hours. Longer costs disk in proportion (docs/architecture.md)
 * @param busyCommitInterval how often a stream thread commits while the machine is short
 * of CPU: Kafka Streams' {@code commit.interval.ms} becomes the interval at which it
 * commits otherwise ({@code COMMIT_INTERVAL_MS}), and this one Kafka Streams' own
 * ({@link io.ordersaga.support.streams.CommitPace}). No longer than that (the default,
 * 0), every commit waits for Kafka Streams' interval, since the saga's latency is made of
 * commits
 * @param busyCpuLoad the share of the machine's CPU (0 to 1) used lately at which stream
 * threads stop committing at the quiet interval and commit at the busy one
 */
@ConfigurationProperties("ordersaga.kafka")
public record SagaKafkaProperties(@Nullable Short replicationFactor, @Nullable Integer minInsyncReplicas,
		@DefaultValue("2s") Duration healthTimeout, @DefaultValue("24h") Duration stateRetention,
		@DefaultValue("0ms") Duration busyCommitInterval, @DefaultValue("0.9") double busyCpuLoad) {

	/**
	 * How the service's topics are replicated.
	 * @return the replication these properties ask for
	 * @throws IllegalArgumentException for settings no write could meet
	 */
	public Replication replication() {
		return new Replication(this.replicationFactor, this.minInsyncReplicas);
	}

}
