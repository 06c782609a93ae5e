package io.ordersaga.load;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A long run at a steady rate that watches what the suite keeps: starts the suite with
 * {@code ./run}, sends orders at a fixed rate, and samples each service's resident memory
 * and the size of its Kafka Streams state and of its read model on disk. With a short
 * state retention, the Streams state must level off once the first retention has passed,
 * and the memory once the services have warmed up; the read models grow with the orders,
 * as the topics do, since they answer for every order ever placed.
 *
 * <pre>
 * ./soak                 # the published run: 30 minutes, its section of docs/benchmarks.md
 * ./soak --smoke         # a short run into target/soak-smoke
 * </pre>
 */
public final class Soak {

	/**
	 * How the names of the files a soak writes into the benchmark's results begin; a
	 * benchmark run leaves them there.
	 */
	static final String FILE_PREFIX = "soak";

	/** A line of the state store gauge in Prometheus's text format. */
	private static final Pattern STORE_ENTRIES = Pattern
		.compile("(?m)^ordersaga_streams_state_entries\\{[^}]*store=\"([^\"]+)\"[^}]*} (\\S+)$");

	private Soak() {
	}

	/**
	 * Runs the soak.
	 * @param settings what to run and where the results go
	 * @param out where progress goes
	 * @return the samples, also written to the results and the report
	 */
	public static Result run(Settings settings, PrintStream out) {
		createDirectories(settings.results());
		Map<String, String> environment = Map.of("STATE_RETENTION", settings.stateRetention().toSeconds() + "s");
		try (LaunchedSuite suite = LaunchedSuite.start(settings.home(), settings.dataDir(), environment, out)) {
			LoadPlan plan = new LoadPlan(FILE_PREFIX + "-" + settings.rate(), LoadPlan.Mode.OPEN, settings.rate(), 0,
					settings.duration(), settings.customers(), true, suite.target());
			out.printf("Sending %d orders/s for %d min, sampling every %d s; state retention %s ...%n", settings.rate(),
					settings.duration().toMinutes(), settings.sampleEvery().toSeconds(), settings.stateRetention());
			// The second-by-second progress of the run would bury the samples.
			PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
			CompletableFuture<LoadResult> load = CompletableFuture.supplyAsync(() -> new LoadRun(plan, quiet).run());
			long start = System.nanoTime();
			List<Sample> samples = new ArrayList<>();
			while (true) {
				Sample sample = sample(suite, (System.nanoTime() - start) / 60e9);
				samples.add(sample);
				out.println(sample.describe());
				try {
					LoadResult result = load.get(settings.sampleEvery().toMillis(), TimeUnit.MILLISECONDS);
					samples.add(sample(suite, (System.nanoTime() - start) / 60e9));
					Result soak = new Result(LocalDate.now().toString(), settings.rate(),
							settings.duration().toMinutes(), settings.customers(), settings.stateRetention().toString(),
							result, samples);
					write(soak, settings);
					return soak;
				}
				catch (TimeoutException ex) {
					// time for the next sample
				}
				catch (ExecutionException ex) {
					throw new IllegalStateException("The load run failed", ex.getCause());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException("Interrupted", ex);
				}
			}
		}
	}

	private static Sample sample(LaunchedSuite suite, double minute) {
		Map<String, Long> rss = new LinkedHashMap<>();
		Map<String, Map<String, Long>> entries = new LinkedHashMap<>();
		Map<String, Long> streamsState = new LinkedHashMap<>();
		Map<String, Long> readModel = new LinkedHashMap<>();
		for (String service : LaunchedSuite.SERVICES) {
			rss.put(service, suite.memoryMiB(service).getOrDefault("VmRSS", -1L));
			entries.put(service, storeEntries(suite.managementUrl(service)));
			long[] sizes = stateSizes(suite.dataDir().resolve(service));
			streamsState.put(service, sizes[0]);
			readModel.put(service, sizes[1]);
		}
		return new Sample(Math.round(minute * 100) / 100.0, rss, entries, streamsState, readModel,
				size(suite.dataDir().resolve("kafka"), ".log"));
	}

	/**
	 * The entries of each of a service's state stores, from the gauge its Actuator
	 * publishes for Prometheus; none if it does not answer.
	 */
	static Map<String, Long> storeEntries(String managementUrl) {
		Map<String, Long> entries = new TreeMap<>();
		try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
			String metrics = http
				.send(HttpRequest.newBuilder(URI.create(managementUrl + "/actuator/prometheus"))
					.timeout(Duration.ofSeconds(10))
					.build(), HttpResponse.BodyHandlers.ofString())
				.body();
			Matcher gauge = STORE_ENTRIES.matcher(metrics);
			while (gauge.find()) {
				if (!gauge.group(2).equals("NaN")) {
					entries.put(gauge.group(1), (long) Double.parseDouble(gauge.group(2)));
				}
			}
		}
		catch (IOException ex) {
			// not answering: no figures in this sample
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return entries;
	}

	/**
	 * The bytes of a service's state directory: its Kafka Streams state and its read
	 * model, a RocksDB database of its own (a directory with RocksDB's {@code CURRENT}
	 * file at its top).
	 */
	private static long[] stateSizes(Path stateDir) {
		long[] sizes = new long[2];
		if (!Files.isDirectory(stateDir)) {
			return sizes;
		}
		try (Stream<Path> entries = Files.list(stateDir)) {
			for (Path entry : entries.toList()) {
				boolean readModel = Files.isRegularFile(entry.resolve("CURRENT"));
				sizes[readModel ? 1 : 0] += size(entry, "");
			}
		}
		catch (IOException ex) {
			// the directory changed while it was read: the next sample counts it
		}
		return sizes;
	}

	/**
	 * The bytes of the files under a path whose names end so. The broker's records are in
	 * its {@code .log} segments; its index files are allocated at their full size up
	 * front, mostly empty.
	 */
	private static long size(Path path, String suffix) {
		long[] bytes = new long[1];
		try {
			// RocksDB and the broker create and delete files all the time: one that is
			// gone
			// by the time it is looked at counts for nothing, and the walk goes on.
			Files.walkFileTree(path, new SimpleFileVisitor<>() {

				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
					if (attributes.isRegularFile() && file.getFileName().toString().endsWith(suffix)) {
						bytes[0] += attributes.size();
					}
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult visitFileFailed(Path file, IOException ex) {
					return FileVisitResult.CONTINUE;
				}

			});
		}
		catch (IOException ex) {
			// the directory itself is gone
		}
		return bytes[0];
	}

	private static void write(Result soak, Settings settings) {
		try {
			Files.writeString(settings.results().resolve(FILE_PREFIX + ".json"),
					LoadGenerator.JSON.writeValueAsString(soak));
			Charts.soak(soak.samples(), settings.results().resolve(FILE_PREFIX + ".png"));
			LoadGenerator.write(soak.load(), settings.results());
			String section = SoakReport.section(soak,
					Objects.requireNonNull(settings.report().toAbsolutePath().getParent(), "the report's directory")
						.relativize(settings.results().toAbsolutePath()));
			Files.writeString(settings.section(), section);
			SoakReport.splice(settings.report(), section);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static void main(String[] args) {
		Path home = Path.of("").toAbsolutePath();
		Settings settings = List.of(args).contains("--smoke") ? Settings.smoke(home, home.resolve("target/soak-smoke"))
				: Settings.published(home);
		Result result = run(settings, System.out);
		System.out
			.println("Report: " + settings.report().toAbsolutePath() + " (" + result.samples().size() + " samples)");
	}

	private static void createDirectories(Path directory) {
		try {
			Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * One look at the suite.
	 *
	 * @param minute minutes since the orders started
	 * @param rssMiB each service's resident memory
	 * @param storeEntries the entries of each service's state stores, by store
	 * @param streamsStateBytes each service's Kafka Streams state on disk
	 * @param readModelBytes each service's read model on disk
	 * @param kafkaLogBytes the broker's log segments
	 */
	public record Sample(double minute, Map<String, Long> rssMiB, Map<String, Map<String, Long>> storeEntries,
			Map<String, Long> streamsStateBytes, Map<String, Long> readModelBytes, long kafkaLogBytes) {

		/**
		 * The entries of all of a service's state stores.
		 * @param service the service
		 * @return the sum over its stores
		 */
		long entries(String service) {
			return this.storeEntries.getOrDefault(service, Map.of()).values().stream().mapToLong(Long::longValue).sum();
		}

		String describe() {
			StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "[%5.1f min]", this.minute));
			for (Map.Entry<String, Long> rss : this.rssMiB.entrySet()) {
				String service = rss.getKey();
				text.append(String.format(Locale.ROOT,
						"  %s RSS %d MiB, stores %,d entries (%.1f MiB), read model %.1f MiB",
						service.replace("-service", ""), rss.getValue(), entries(service),
						mib(this.streamsStateBytes.getOrDefault(service, 0L)),
						mib(this.readModelBytes.getOrDefault(service, 0L))));
			}
			return text.append(String.format(Locale.ROOT, "  Kafka %.0f MiB", mib(this.kafkaLogBytes))).toString();
		}

	}

	static double mib(long bytes) {
		return bytes / 1048576.0;
	}

	/**
	 * A soak run.
	 *
	 * @param date when it ran
	 * @param rate the orders per second asked for
	 * @param minutes how long orders were sent
	 * @param customers the customers the orders were spread over
	 * @param stateRetention the services' state retention
	 * @param load the load run's results
	 * @param samples the samples, oldest first
	 */
	public record Result(String date, int rate, long minutes, int customers, String stateRetention, LoadResult load,
			List<Sample> samples) {

	}

	/**
	 * What the soak runs and where its results go.
	 *
	 * @param home the repository
	 * @param dataDir where the suite keeps its data while the soak runs
	 * @param results the directory for the JSON results and the chart
	 * @param report the Markdown report the soak's section goes into
	 * @param section the file that keeps the section, for the benchmark's report to
	 * include
	 * @param rate orders per second
	 * @param duration how long orders are sent
	 * @param sampleEvery the time between samples
	 * @param stateRetention the services' {@code STATE_RETENTION}, short so that the
	 * state stores level off within the run
	 * @param customers the customers the orders are spread over
	 */
	public record Settings(Path home, Path dataDir, Path results, Path report, Path section, int rate,
			Duration duration, Duration sampleEvery, Duration stateRetention, int customers) {

		/** The run behind the soak section of {@code docs/benchmarks.md}. */
		public static Settings published(Path home) {
			return new Settings(home, home.resolve("target/soak-run"), home.resolve("docs/benchmarks"),
					home.resolve("docs/benchmarks.md"), home.resolve("docs/benchmarks-soak.md"), 200,
					Duration.ofMinutes(30), Duration.ofSeconds(30), Duration.ofMinutes(5), 500);
		}

		/** A short run, so the tool never rots. */
		public static Settings smoke(Path home, Path out) {
			return new Settings(home, out.resolve("run-data"), out.resolve("results"), out.resolve("benchmarks.md"),
					out.resolve("benchmarks-soak.md"), 20, Duration.ofSeconds(12), Duration.ofSeconds(4),
					Duration.ofMinutes(1), 20);
		}

	}

}
