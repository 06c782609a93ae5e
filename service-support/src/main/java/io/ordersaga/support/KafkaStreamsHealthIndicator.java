package io.ordersaga.support;

import java.util.function.Supplier;

import io.ordersaga.support.streams.ReplaceThreadAfterBackOff;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Reports the service's Kafka Streams application: up once it has run, while it runs or
 * rebalances with every stream thread alive; down until it first runs (its stores, which
 * answer the service's reads, are restored by then), when it has stopped or failed (the
 * global thread's death fails it), while a failed stream thread waits to be replaced, and
 * while stream threads fail again and again. An orchestrator thus sends requests to an
 * instance only once it can answer them, restarts one that no longer processes, and sees
 * one that keeps failing.
 */
public class KafkaStreamsHealthIndicator extends AbstractHealthIndicator {

	private final Supplier<@Nullable KafkaStreams> streams;

	private final ReplaceThreadAfterBackOff replacements;

	/** The Kafka Streams client last seen running: a restarted one starts again. */
	private volatile @Nullable KafkaStreams seenRunning;

	public KafkaStreamsHealthIndicator(Supplier<@Nullable KafkaStreams> streams,
			ReplaceThreadAfterBackOff replacements) {
		super("Kafka Streams health check failed");
		this.streams = streams;
		this.replacements = replacements;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		KafkaStreams kafkaStreams = this.streams.get();
		if (kafkaStreams == null) {
			builder.down().withDetail("state", "NOT_STARTED");
			return;
		}
		KafkaStreams.State state = kafkaStreams.state();
		long alive = kafkaStreams.metadataForLocalThreads()
			.stream()
			.map(ThreadMetadata::threadState)
			.filter((threadState) -> !threadState.equals("DEAD") && !threadState.equals("PENDING_SHUTDOWN"))
			.count();
		boolean replacing = this.replacements.isReplacing();
		boolean failingRepeatedly = this.replacements.isFailingRepeatedly();
		if (state == KafkaStreams.State.RUNNING) {
			this.seenRunning = kafkaStreams;
		}
		boolean serving = state == KafkaStreams.State.RUNNING
				|| (state == KafkaStreams.State.REBALANCING && this.seenRunning == kafkaStreams);
		boolean up = serving && !replacing && !failingRepeatedly && (state != KafkaStreams.State.RUNNING || alive > 0);
		builder.status(up ? Status.UP : Status.DOWN)
			.withDetail("state", state.name())
			.withDetail("streamThreads", alive)
			.withDetail("replacingThread", replacing)
			.withDetail("failingRepeatedly", failingRepeatedly);
	}

}
