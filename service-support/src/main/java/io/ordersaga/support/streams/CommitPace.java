package io.ordersaga.support.streams;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.function.DoubleSupplier;

import com.sun.management.OperatingSystemMXBean;
import org.apache.kafka.streams.StreamsConfig;
import org.jspecify.annotations.Nullable;

/**
 * How often a stream thread commits: soon while the machine has CPU to spare, for
 * latency, and at Kafka Streams' commit interval while it has none, for throughput.
 *
 * <p>
 * Under exactly-once every commit is a transaction, and a hop's output is readable
 * downstream only once it commits. So the commit interval is most of each hop's latency,
 * and each commit costs the same CPU however few records it carries (markers on every
 * partition the transaction wrote, its offsets, the coordinator's log). Kafka Streams has
 * one interval for both. Here {@code commit.interval.ms} is the busy interval, and each
 * {@link EventRecordProcessor} requests a commit every <em>quiet interval</em> while the
 * CPU the machine used lately stays under a bound. On a machine that is short of CPU, the
 * CPU a commit takes is taken from the records (docs/architecture.md, with the
 * measurements).
 *
 * <p>
 * One instance per stream thread, shared by the processors of all its tasks: Kafka
 * Streams commits all of a thread's tasks at once, so whether to commit early is the
 * thread's matter, not a task's. Used by the stream thread only.
 */
public final class CommitPace {

	/**
	 * The Kafka Streams setting, passed on to the processors, that turns early commits
	 * on: how often a thread commits while the machine has CPU to spare, in milliseconds.
	 */
	public static final String QUIET_INTERVAL_CONFIG = "ordersaga.commit.quiet.interval.ms";

	/**
	 * The Kafka Streams setting, passed on to the processors: the share of the machine's
	 * CPU (0 to 1) at which a thread stops committing early.
	 */
	public static final String BUSY_CPU_LOAD_CONFIG = "ordersaga.commit.busy.cpu.load";

	private static final ThreadLocal<CommitPace> THREADS = new ThreadLocal<>();

	private static final CpuLoad MACHINE = new CpuLoad(Duration.ofMillis(500), CpuLoad::operatingSystem);

	private final long quietIntervalMs;

	private final double busyCpuLoad;

	private final CpuLoad cpu;

	/** When the thread last decided whether to commit early. */
	private long decided = Long.MIN_VALUE;

	/** Whether the thread processed a record since its last request for a commit. */
	private boolean uncommitted;

	CommitPace(Settings settings, CpuLoad cpu) {
		this.quietIntervalMs = settings.quietInterval().toMillis();
		this.busyCpuLoad = settings.busyCpuLoad();
		this.cpu = cpu;
	}

	/**
	 * Sets a Kafka Streams configuration up for early commits: its
	 * {@code commit.interval.ms} (Kafka Streams' default if unset) becomes the quiet
	 * interval and the busy interval becomes {@code commit.interval.ms}. Nothing changes
	 * when the busy interval is not the longer one.
	 * @param config the configuration
	 * @param busyInterval how often a thread commits while the machine is short of CPU
	 * @param busyCpuLoad the share of the machine's CPU (0 to 1) at which a thread stops
	 * committing early
	 */
	public static void configure(Properties config, Duration busyInterval, double busyCpuLoad) {
		Object quiet = config.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
		long quietMs = (quiet != null) ? Long.parseLong(quiet.toString())
				: (StreamsConfig.EXACTLY_ONCE_V2.equals(config.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)) ? 100
						: 30_000);
		if (busyInterval.toMillis() <= quietMs) {
			return;
		}
		config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, String.valueOf(busyInterval.toMillis()));
		config.put(QUIET_INTERVAL_CONFIG, String.valueOf(quietMs));
		config.put(BUSY_CPU_LOAD_CONFIG, String.valueOf(busyCpuLoad));
	}

	/**
	 * The early commits a stream thread's configuration asks for.
	 * @param appConfigs the configuration the thread's tasks were given
	 * @return the settings, or {@code null} when every commit waits for Kafka Streams'
	 * interval
	 */
	static @Nullable Settings settings(Map<String, Object> appConfigs) {
		Object quiet = appConfigs.get(QUIET_INTERVAL_CONFIG);
		if (quiet == null) {
			return null;
		}
		return new Settings(Duration.ofMillis(Long.parseLong(quiet.toString())),
				Double.parseDouble(String.valueOf(appConfigs.getOrDefault(BUSY_CPU_LOAD_CONFIG, "1"))));
	}

	/**
	 * The pace of the calling stream thread.
	 * @param settings the thread's settings
	 * @return its pace
	 */
	static CommitPace ofThread(Settings settings) {
		CommitPace pace = THREADS.get();
		if (pace == null) {
			pace = new CommitPace(settings, MACHINE);
			THREADS.set(pace);
		}
		return pace;
	}

	/** Counts a record the thread processed. */
	void processed() {
		this.uncommitted = true;
	}

	/**
	 * Whether to request a commit now. Once per quiet interval at most, whichever of the
	 * thread's processors asks first: a commit covers all of the thread's tasks, and each
	 * task's punctuation comes at its own moment in the interval. Yes when the thread
	 * processed records since its last request and the machine has CPU to spare.
	 * @param nowMs the wall-clock time
	 * @return whether to request a commit
	 */
	boolean commitEarly(long nowMs) {
		if (this.decided != Long.MIN_VALUE && nowMs - this.decided < this.quietIntervalMs) {
			return false;
		}
		this.decided = nowMs;
		if (!this.uncommitted || this.cpu.recent(nowMs) >= this.busyCpuLoad) {
			return false;
		}
		this.uncommitted = false;
		return true;
	}

	/**
	 * Early commits as a configuration asks for them.
	 *
	 * @param quietInterval how often a thread commits while the machine has CPU to spare,
	 * and how often processors ask {@link #commitEarly}
	 * @param busyCpuLoad the share of the machine's CPU (0 to 1) at which a thread stops
	 * committing early
	 */
	record Settings(Duration quietInterval, double busyCpuLoad) {
	}

	/**
	 * The share of the machine's CPU used lately, read at most once per period for every
	 * thread of the JVM: the operating system's figure covers the time since it was last
	 * read, so one reader gives each reading the same period.
	 */
	static final class CpuLoad {

		private final long periodMs;

		private final DoubleSupplier source;

		private long readAt = Long.MIN_VALUE;

		private double load;

		CpuLoad(Duration period, DoubleSupplier source) {
			this.periodMs = period.toMillis();
			this.source = source;
		}

		/**
		 * The machine's recent CPU use.
		 * @param nowMs the wall-clock time
		 * @return the share of its CPU, 0 to 1; 0 where the system does not tell
		 */
		synchronized double recent(long nowMs) {
			if (this.readAt == Long.MIN_VALUE || nowMs - this.readAt >= this.periodMs) {
				this.readAt = nowMs;
				this.load = Math.max(0, this.source.getAsDouble());
			}
			return this.load;
		}

		/** What the JVM knows of its machine's (or its container's) CPU use. */
		static double operatingSystem() {
			return (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean system)
					? system.getCpuLoad() : 0;
		}

	}

}
