package io.ordersaga.support.streams;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * Keeps a service's local Kafka Streams state from outliving the cluster it was built
 * from, and starts the service's Kafka Streams. Local state is a cache of the changelogs
 * and source topics of one cluster; against a new or reset cluster (a compose stack
 * started again after {@code down -v}) its positions point past the new logs, and the
 * global thread failed with {@code OffsetOutOfRangeException} until someone deleted the
 * directory by hand. Worse, a position that happens to lie within the new log reads on
 * silently from the middle.
 *
 * <p>
 * The state directory records the id of the cluster its state came from
 * ({@code <application-id>.cluster-id}). The guard starts Kafka Streams in place of the
 * factory, on a thread of its own: it waits until the cluster tells its id, wipes the
 * application's state if it came from another cluster, and then starts the factory. On a
 * thread of its own, because the wait has no end while Kafka is down, and a context still
 * starting cannot be stopped: a service started before Kafka did not stop on SIGTERM.
 * Should Kafka Streams fail for good anyway (its global thread dies on a topic that was
 * deleted and created again), the guard starts it again with its state wiped, after a
 * pause that doubles from 1 s to 60 s.
 */
public final class LocalStateGuard implements SmartLifecycle, KafkaStreams.StateListener {

	private static final Logger logger = LoggerFactory.getLogger(LocalStateGuard.class);

	private static final Duration FIRST_PAUSE = Duration.ofSeconds(1);

	private static final Duration LONGEST_PAUSE = Duration.ofSeconds(60);

	private final StreamsBuilderFactoryBean factory;

	private final Map<String, Object> adminConfig;

	private final Duration timeout;

	private final Path stateDirectory;

	private final String applicationId;

	private final boolean autoStartup;

	private final Object lifecycle = new Object();

	private volatile boolean running;

	private volatile @Nullable Thread starting;

	private Duration restartPause = FIRST_PAUSE;

	/**
	 * Creates the guard of a factory, which it then starts in the factory's place.
	 * @param factory the factory of the service's Kafka Streams
	 * @param adminConfig how to reach the cluster
	 * @param timeout how long one attempt to ask the cluster for its id may take
	 * @param stateDirectory the factory's {@code state.dir}
	 * @param applicationId the factory's {@code application.id}
	 */
	public LocalStateGuard(StreamsBuilderFactoryBean factory, Map<String, Object> adminConfig, Duration timeout,
			Path stateDirectory, String applicationId) {
		this.factory = factory;
		this.adminConfig = Map.copyOf(adminConfig);
		this.timeout = timeout;
		this.stateDirectory = stateDirectory;
		this.applicationId = applicationId;
		this.autoStartup = factory.isAutoStartup();
		factory.setAutoStartup(false);
		factory.setStateListener(this);
	}

	@Override
	public boolean isAutoStartup() {
		return this.autoStartup;
	}

	@Override
	public int getPhase() {
		return this.factory.getPhase();
	}

	@Override
	public void start() {
		this.running = true;
		startOnItsOwnThread(Duration.ZERO, false);
	}

	/**
	 * Stops the guard and the factory with it, so that a restart on the guard's own
	 * thread cannot start Kafka Streams again after the context stopped it, which would
	 * leave a client running, its RocksDB stores open, after the context closed.
	 */
	@Override
	public void stop() {
		synchronized (this.lifecycle) {
			this.running = false;
			Thread thread = this.starting;
			if (thread != null) {
				thread.interrupt();
			}
			if (this.factory.isRunning()) {
				this.factory.stop();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
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
			logger.error("Kafka Streams failed for good; starting it again in {} s with its local state wiped",
					pause.toSeconds());
			// Not on the thread that reports the state, which stopping waits for.
			startOnItsOwnThread(pause, true);
		}
	}

	private void startOnItsOwnThread(Duration pause, boolean wipe) {
		this.starting = Thread.ofPlatform().daemon().name("kafka-streams-start").start(() -> {
			try {
				Thread.sleep(pause);
				String clusterId = clusterId();
				if (!this.running) {
					return;
				}
				if (wipe) {
					this.factory.stop();
				}
				Path marker = this.stateDirectory.resolve(this.applicationId + ".cluster-id");
				String recorded = Files.exists(marker) ? Files.readString(marker, StandardCharsets.UTF_8).strip()
						: null;
				if (!wipe && recorded != null && !recorded.equals(clusterId)) {
					logger.warn("The local state in {} was built from cluster {}, and this is cluster {}: wiping it, "
							+ "to be rebuilt from this cluster", this.stateDirectory, recorded, clusterId);
				}
				if (wipe || (recorded != null && !recorded.equals(clusterId))) {
					deleteRecursively(this.stateDirectory.resolve(this.applicationId));
				}
				Files.createDirectories(this.stateDirectory);
				Files.writeString(marker, clusterId + "\n", StandardCharsets.UTF_8);
				synchronized (this.lifecycle) {
					if (this.running) {
						this.factory.start();
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not check the local state in " + this.stateDirectory, ex);
			}
		});
	}

	/** The cluster's id, asked for until it answers. */
	private String clusterId() throws InterruptedException {
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
	}

	private static void deleteRecursively(Path directory) throws IOException {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> files = Files.walk(directory)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(file);
			}
		}
	}

}
