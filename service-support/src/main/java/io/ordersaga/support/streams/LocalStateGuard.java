package io.ordersaga.support.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.config.KafkaStreamsCustomizer;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * Keeps a service's local Kafka Streams state from outliving the cluster it was built
 * from. Local state is a cache of the changelogs and source topics of one cluster;
 * against a new or reset cluster (a compose stack started again with {@code down -v}) its
 * positions point past the new logs, and the global thread failed with
 * {@code OffsetOutOfRangeException} until someone deleted the directory by hand. Worse, a
 * position that happens to lie within the new log reads on silently from the middle.
 *
 * <p>
 * The state directory records the id of the cluster its state came from. Before Kafka
 * Streams starts, the guard compares it with the cluster's (waiting for the cluster to
 * answer, since nothing can be processed without it) and, if they differ, wipes the
 * application's state with {@link KafkaStreams#cleanUp()}, so it is rebuilt from this
 * cluster's logs. Should Kafka Streams fail for good anyway (its global thread dies on a
 * topic that was deleted and created again), the service restarts it with its state wiped
 * and restarts it after a pause that doubles from 1 s to 60 s.
 *
 * <p>
 * One guard serves one {@link StreamsBuilderFactoryBean}: it is the factory's
 * {@link KafkaStreamsCustomizer}, which runs before each start, and its state listener.
 */
public final class LocalStateGuard implements KafkaStreamsCustomizer, KafkaStreams.StateListener {

	private static final Logger logger = LoggerFactory.getLogger(LocalStateGuard.class);

	private static final String MARKER_SUFFIX = ".cluster-id";

	private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);

	private static final Duration LONGEST_PAUSE = Duration.ofSeconds(60);

	private final Map<String, Object> adminConfig;

	private final Duration timeout;

	private final StreamsBuilderFactoryBean factory;

	private volatile boolean wipeNextStart;

	private Duration restartPause = FIRST_PAUSE;

	/**
	 * Creates the guard of a factory and makes it the factory's customizer and state
	 * listener.
	 * @param factory the factory of the service's Kafka Streams
	 * @param adminConfig how to reach the cluster
	 * @param timeout how long one attempt to ask the cluster for its id may take
	 */
	public LocalStateGuard(StreamsBuilderFactoryBean factory, Map<String, Object> adminConfig, Duration timeout) {
		this.factory = factory;
		this.adminConfig = Map.copyOf(adminConfig);
		this.timeout = timeout;
		factory.setKafkaStreamsCustomizer(this);
		factory.setStateListener(this);
	}

	@Override
	public void customize(KafkaStreams streams) {
		Properties config = this.factory.getStreamsConfiguration();
		String stateDirectory = (config != null) ? config.getProperty(StreamsConfig.STATE_DIR_CONFIG) : null;
		String applicationId = (config != null) ? config.getProperty(StreamsConfig.APPLICATION_ID_CONFIG) : null;
		if (stateDirectory == null || applicationId == null) {
			throw new IllegalStateException("Kafka Streams has no " + StreamsConfig.STATE_DIR_CONFIG + " or "
					+ StreamsConfig.APPLICATION_ID_CONFIG);
		}
		check(streams, Path.of(stateDirectory), applicationId);
	}

	@Override
	public void onChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
		if (newState == KafkaStreams.State.RUNNING) {
			synchronized (this) {
				this.restartPause = FIRST_PAUSE;
			}
		}
		if (newState == KafkaStreams.State.ERROR) {
			Duration pause;
			synchronized (this) {
				pause = this.restartPause;
				this.restartPause = (pause.multipliedBy(2).compareTo(LONGEST_PAUSE) < 0) ? pause.multipliedBy(2)
						: LONGEST_PAUSE;
			}
			this.wipeNextStart = true;
			logger.error("Kafka Streams failed for good; starting it again in {} s with its local state wiped",
					pause.toSeconds());
			// Not on the thread that reports the state, which stopping would wait for.
			Thread.ofPlatform().daemon().name("kafka-streams-restart").start(() -> restart(pause));
		}
	}

	private void restart(Duration pause) {
		try {
			Thread.sleep(pause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		// Unless the application stopped it meanwhile.
		if (this.factory.isRunning()) {
			this.factory.stop();
			this.factory.start();
		}
	}

	/**
	 * Makes sure the state Kafka Streams is about to start from belongs to the cluster.
	 * @param streams the instance, not started yet
	 * @param stateDirectory its {@code state.dir}
	 * @param applicationId its {@code application.id}
	 */
	void check(KafkaStreams streams, Path stateDirectory, String applicationId) {
		Path marker = stateDirectory.resolve(applicationId + MARKER_SUFFIX);
		String clusterId = clusterId();
		String recorded = recorded(marker);
		if (this.wipeNextStart) {
			streams.cleanUp();
			this.wipeNextStart = false;
		}
		else if (recorded != null && !recorded.equals(clusterId)) {
			logger.warn("The local state in {} was built from cluster {}, and this is cluster {}: wiping it, to be "
					+ "rebuilt from this cluster", stateDirectory, recorded, clusterId);
			streams.cleanUp();
		}
		write(marker, clusterId);
	}

	private String clusterId() {
		try (Admin admin = Admin.create(this.adminConfig)) {
			for (int attempt = 1;; attempt++) {
				try {
					return admin.describeCluster().clusterId().get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
				}
				catch (ExecutionException | TimeoutException ex) {
					if (attempt % 10 == 1) {
						logger.warn("Waiting for Kafka to tell its cluster id before starting Kafka Streams: {}",
								ex.toString());
					}
					Thread.sleep(1000);
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for Kafka's cluster id", ex);
		}
	}

	private static @Nullable String recorded(Path marker) {
		try {
			return Files.exists(marker) ? Files.readString(marker, StandardCharsets.UTF_8).strip() : null;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void write(Path marker, String clusterId) {
		try {
			Files.createDirectories(marker.getParent());
			Files.writeString(marker, clusterId + "\n", StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
