package io.ordersaga.load;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The whole benchmark on this machine: starts the suite with {@code ./run}, measures each
 * service's start-up, the Kafka ceiling on the same broker, the saga at increasing rates
 * until it saturates, then as fast as it goes (with and without an
 * {@code Idempotency-Key}), each kind of client past its saturation rate, and as fast
 * again with a JDK Flight Recorder profile of each service; writes the results, the
 * charts and the report.
 *
 * <pre>
 * ./benchmark                 # the published run: docs/benchmarks.md
 * ./benchmark --smoke         # a short run into target/benchmark-smoke
 * </pre>
 */
public final class Benchmark {

	private static final String RESULTS = "results.json";

	private static final String LATENCY_BY_RATE = "latency-by-rate.png";

	private static final String OVERLOAD = "overload.png";

	private Benchmark() {
	}

	/**
	 * Runs the benchmark.
	 * @param settings what to run and where the results go
	 * @param out where progress goes
	 * @return the results, also written to the report
	 */
	public static BenchmarkResult run(Settings settings, PrintStream out) {
		createDirectories(settings.results());
		try (LaunchedSuite suite = LaunchedSuite.start(settings.home(), settings.dataDir(), settings.suiteSettings(),
				settings.secure(), out)) {
			Map<String, BenchmarkResult.Service> services = new LinkedHashMap<>();
			Map<String, Double> coldStart = new LinkedHashMap<>();
			for (String service : LaunchedSuite.SERVICES) {
				// The last start: a first run after a build started the suite twice.
				coldStart.put(service, suite.startupSeconds(service).getLast());
			}
			out.println("Restarting each service on its own to time its start-up ...");
			Map<String, Double> soloStart = new LinkedHashMap<>();
			for (String service : LaunchedSuite.SERVICES) {
				// Right after a start the suite keeps both cores busy for seconds; the
				// first service restarted used to be timed against it.
				if (!QuietMachine.local().await(0.2, Duration.ofSeconds(2), 30)) {
					out.println("The machine did not go quiet within a minute; timing " + service + " anyway");
				}
				suite.restart(service);
				soloStart.put(service, suite.startupSeconds(service).getLast());
			}

			out.println("Measuring the Kafka ceiling with Kafka's own tools ...");
			KafkaCeiling ceiling = KafkaCeiling.measure(suite.target(), settings.ceilingRecords(),
					settings.ceilingHops());
			out.printf("Kafka ceiling: %.0f records/s (%.1f MB/s); one hop p50 %.0f ms, p99 %.0f ms, p99.9 %.0f ms%n",
					ceiling.recordsPerSecond(), ceiling.megabytesPerSecond(), ceiling.hopP50(), ceiling.hopP99(),
					ceiling.hopP999());

			// The services' JIT compilers have seen no traffic yet. From a fresh start
			// at full load they took over a third of the machine for a minute and a
			// half, and the suite completed 92, 277, 497 and 774 sagas/s in its first
			// four half-minutes, then 1,050 to 1,300: a warm-up at the lowest rate left
			// the saturation runs to measure the compilers. So the suite warms up as
			// fast as it goes, with each kind of client in turn.
			out.println("Warming up for " + settings.warmUp().toSeconds()
					+ " s as fast as the suite goes, half with keys, half without (reported, not counted) ...");
			List<LoadResult> warmUp = new ArrayList<>();
			for (boolean keyed : List.of(true, false)) {
				warmUp.add(saturate(settings, suite, LoadPlan.Mode.MAX, settings.warmUp().dividedBy(2),
						settings.concurrency(), "warm-up-" + settings.concurrency() + (keyed ? "" : "-unkeyed"), keyed,
						out));
			}

			List<LoadResult> open = new ArrayList<>();
			for (int rate : settings.rates()) {
				LoadResult result = new LoadRun(new LoadPlan("open-" + rate, LoadPlan.Mode.OPEN, rate, 0,
						settings.duration(), settings.customers(), true, suite.target()), out)
					.run();
				LoadGenerator.write(result, settings.results());
				open.add(result);
				if (saturated(result)) {
					out.println("Saturated at " + rate + " orders/s; no higher rates.");
					break;
				}
			}

			out.println("As fast as it goes ...");
			LoadResult max = saturate(settings, suite, LoadPlan.Mode.MAX, settings.concurrency(),
					"max-" + settings.concurrency(), true, out);
			LoadResult maxUnkeyed = saturate(settings, suite, LoadPlan.Mode.MAX, settings.concurrency(),
					"max-" + settings.concurrency() + "-unkeyed", false, out);
			LoadResult flood = saturate(settings, suite, LoadPlan.Mode.FLOOD, settings.floodConcurrency(),
					"flood-" + settings.floodConcurrency() + "-unkeyed", false, out);
			for (String service : LaunchedSuite.SERVICES) {
				Map<String, Long> memory = suite.memoryMiB(service);
				services.put(service,
						new BenchmarkResult.Service(service, coldStart.getOrDefault(service, -1.0),
								soloStart.getOrDefault(service, -1.0), memory.getOrDefault("VmRSS", -1L),
								memory.getOrDefault("VmHWM", -1L)));
			}

			// Only now: a recording's buffers, classes and sampling would count in the
			// memory and throughput above, and its memory stays after it stops.
			out.println("Again, with a Flight Recorder profile of each service ...");
			for (String service : LaunchedSuite.SERVICES) {
				Profile.start(suite.service(service), settings.results().resolve(service + ".jfr"));
			}
			LoadResult profiled = saturate(settings, suite, LoadPlan.Mode.MAX, settings.concurrency(),
					"profiled-" + settings.concurrency(), true, out);
			List<Profile> profiles = new ArrayList<>();
			for (String service : LaunchedSuite.SERVICES) {
				Profile.stop(suite.service(service));
				Path recording = settings.results().resolve(service + ".jfr");
				profiles.add(Profile.read(service, recording));
				deleteQuietly(recording);
			}

			out.println("Overloaded: offered more than each kind of client's saturation rate ...");
			List<BenchmarkResult.Overload> overload = List.of(
					overload(settings, suite, true, mostCompleted(max, open), out),
					overload(settings, suite, false, mostCompleted(maxUnkeyed, List.of(flood)), out));
			Charts.latencyByRate(open, settings.results().resolve(LATENCY_BY_RATE));
			Charts.overload(overload, settings.results().resolve(OVERLOAD));
			BenchmarkResult result = new BenchmarkResult(LocalDate.now().toString(), BenchmarkResult.Machine.current(),
					suite.readySeconds(), ceiling, warmUp, open, max, maxUnkeyed, flood, overload, profiled,
					List.copyOf(services.values()), profiles);
			Files.writeString(settings.results().resolve(RESULTS), LoadGenerator.JSON.writeValueAsString(result));
			BenchmarkReport.write(result, settings.report(), settings.results(), settings.home());
			removeEarlierRuns(settings.results(), writtenFiles(result));
			out.println("Report: " + settings.report().toAbsolutePath());
			return result;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Orders as fast as the suite takes them, from the benchmark's clients. */
	private static LoadResult saturate(Settings settings, LaunchedSuite suite, LoadPlan.Mode mode, int clients,
			String label, boolean keyed, PrintStream out) {
		return saturate(settings, suite, mode, settings.duration(), clients, label, keyed, out);
	}

	/** The same, for as long as asked. */
	private static LoadResult saturate(Settings settings, LaunchedSuite suite, LoadPlan.Mode mode, Duration duration,
			int clients, String label, boolean keyed, PrintStream out) {
		LoadResult result = new LoadRun(
				new LoadPlan(label, mode, 0, clients, duration, settings.customers(), keyed, suite.target()), out)
			.run();
		LoadGenerator.write(result, settings.results());
		return result;
	}

	/**
	 * One kind of client's overload curve: open-model runs at each of the settings'
	 * multiples of the rate its saturation run completed. Past that rate order-service
	 * must refuse what it cannot finish in time, fast, and keep finishing the rest.
	 */
	private static BenchmarkResult.Overload overload(Settings settings, LaunchedSuite suite, boolean keyed,
			LoadResult saturation, PrintStream out) {
		List<LoadResult> runs = new ArrayList<>();
		for (double factor : settings.overloadFactors()) {
			int rate = Math.max(1, (int) Math.round(factor * saturation.completedPerSecond()));
			LoadResult result = new LoadRun(
					new LoadPlan("overload-" + BenchmarkResult.Overload.kind(keyed) + "-" + rate, LoadPlan.Mode.OPEN,
							rate, 0, settings.duration(), settings.customers(), keyed, suite.target()),
					out)
				.run();
			LoadGenerator.write(result, settings.results());
			runs.add(result);
		}
		return new BenchmarkResult.Overload(keyed, saturation.completedPerSecond(), List.copyOf(runs));
	}

	/**
	 * Saturation, for one kind of client: of its runs, the one that completed the most
	 * sagas per second with none unfinished. Clients that wait as {@code Retry-After}
	 * asks may leave the suite idle while they wait, and clients that ignore it take
	 * cores to refuse, so neither run alone is the most the suite completes.
	 * @param first a run that counts even if orders were left unfinished
	 * @param others the kind's other runs
	 * @return the run
	 */
	static LoadResult mostCompleted(LoadResult first, List<LoadResult> others) {
		return others.stream()
			.reduce(first, (a, b) -> (b.completedPerSecond() > a.completedPerSecond() && b.unfinished() == 0) ? b : a);
	}

	/** Fewer sagas completed than were asked for, or some failed or did not finish. */
	static boolean saturated(LoadResult result) {
		return result.completedPerSecond() < 0.9 * result.targetRate() || result.unfinished() > 0
				|| !result.errors().isEmpty();
	}

	public static void main(String[] args) {
		Path home = Path.of("").toAbsolutePath();
		List<String> arguments = List.of(args);
		Settings settings = arguments.contains("--smoke") ? Settings.smoke(home, home.resolve("target/benchmark-smoke"))
				: Settings.published(home);
		if (arguments.contains("--secure")) {
			// Never into the published report: that one is of the open mode.
			settings = settings.secured(home
				.resolve(arguments.contains("--smoke") ? "target/benchmark-smoke-secure" : "target/benchmark-secure"));
		}
		run(settings, System.out);
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
	 * The files a run writes into the results directory: each load run's results and
	 * timeline, the two charts across runs, and the results of the whole.
	 * @param result the run
	 * @return their names
	 */
	static Set<String> writtenFiles(BenchmarkResult result) {
		Set<String> names = new HashSet<>(Set.of(RESULTS, LATENCY_BY_RATE, OVERLOAD));
		for (LoadResult run : result.runs()) {
			names.add(LoadGenerator.resultsFile(run));
			names.add(LoadGenerator.timelineFile(run));
		}
		return names;
	}

	/**
	 * Removes the results and charts an earlier run left and this one did not write
	 * again, so that the report's raw results are its own: a run that saturated at a
	 * lower rate, or ran other clients, used to leave the files of the rates and runs it
	 * no longer had beside the new ones. What {@code ./soak} writes there stays.
	 * @param results the results directory
	 * @param written what this run wrote
	 * @throws IOException if the directory cannot be read or a file removed
	 */
	static void removeEarlierRuns(Path results, Set<String> written) throws IOException {
		List<Path> earlier;
		try (Stream<Path> files = Files.list(results)) {
			earlier = files.filter((file) -> {
				String name = file.getFileName().toString();
				return Files.isRegularFile(file) && (name.endsWith(".json") || name.endsWith(".png"))
						&& !name.startsWith(Soak.FILE_PREFIX) && !written.contains(name);
			}).toList();
		}
		for (Path file : earlier) {
			Files.delete(file);
		}
	}

	private static void deleteQuietly(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			// a leftover recording harms nothing
		}
	}

	/**
	 * What the benchmark runs and where its results go.
	 *
	 * @param home the repository
	 * @param dataDir where the suite keeps its data while the benchmark runs
	 * @param results the directory for the JSON results and the charts
	 * @param report the Markdown report
	 * @param rates the open-model rates, lowest first
	 * @param duration how long each run sends orders
	 * @param concurrency the clients of the as-fast-as-it-goes runs, which wait as
	 * {@code Retry-After} asks
	 * @param floodConcurrency the clients of the flood, which do not
	 * @param customers the customers each run's orders are spread over
	 * @param ceilingRecords records for Kafka's producer benchmark
	 * @param ceilingHops round trips for Kafka's latency benchmark
	 * @param warmUp how long orders are sent as fast as the suite takes them (half with
	 * keys, half without) before anything else
	 * @param overloadFactors the overload curves' rates, as multiples of each kind of
	 * client's saturation rate
	 * @param suiteSettings environment variables the suite is started with
	 * @param secure whether the suite runs in secure mode ({@code ./run --secure}): Kafka
	 * with TLS, SCRAM and ACLs, every request with a token
	 */
	public record Settings(Path home, Path dataDir, Path results, Path report, List<Integer> rates, Duration duration,
			int concurrency, int floodConcurrency, int customers, int ceilingRecords, int ceilingHops, Duration warmUp,
			List<Double> overloadFactors, Map<String, String> suiteSettings, boolean secure) {

		/**
		 * The same runs against the suite in secure mode, with their results elsewhere.
		 * @param out where the data, the results and the report go
		 * @return the settings
		 */
		public Settings secured(Path out) {
			return new Settings(this.home, out.resolve("run-data"), out.resolve("results"),
					out.resolve("benchmarks.md"), this.rates, this.duration, this.concurrency, this.floodConcurrency,
					this.customers, this.ceilingRecords, this.ceilingHops, this.warmUp, this.overloadFactors,
					this.suiteSettings, true);
		}

		/** The run behind {@code docs/benchmarks.md}. */
		public static Settings published(Path home) {
			return new Settings(home, home.resolve("target/benchmark-run"), home.resolve("docs/benchmarks"),
					home.resolve("docs/benchmarks.md"), List.of(25, 50, 100, 150, 200, 300, 500, 1000, 2000),
					Duration.ofSeconds(30), 256, 64, 500, 1_000_000, 10_000, Duration.ofSeconds(180),
					List.of(0.5, 1.0, 1.5, 2.0), Map.of(), false);
		}

		/**
		 * A short run of a few hundred orders, so the tool never rots. Admission control
		 * takes fewer orders at once than by default, so that the short overload runs,
		 * offered three times what the suite took, meet refusals on most machines; yet
		 * room enough that 25 orders a second are mostly taken on a machine still
		 * compiling the services' code, when a saga may take over a second.
		 */
		public static Settings smoke(Path home, Path out) {
			return new Settings(home, out.resolve("run-data"), out.resolve("results"), out.resolve("benchmarks.md"),
					List.of(25), Duration.ofSeconds(8), 8, 8, 20, 20_000, 200, Duration.ofSeconds(10), List.of(3.0),
					Map.of("ORDERSAGA_ORDERS_MAXPENDINGORDERS", "50"), false);
		}

	}

}
