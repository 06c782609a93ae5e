package io.ordersaga.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a benchmark's results as Markdown: the targets first, then the machine, the
 * Kafka ceiling, the saga at each rate and at saturation, the services' start-up and
 * memory, and where the time goes. The hand-written analysis, if any, comes from
 * {@code docs/benchmarks-notes.md}.
 */
final class BenchmarkReport {

	private final StringBuilder text = new StringBuilder();

	private final BenchmarkResult result;

	private final String images;

	private BenchmarkReport(BenchmarkResult result, String images) {
		this.result = result;
		this.images = images;
	}

	static void write(BenchmarkResult result, Path report, Path results, Path home) {
		BenchmarkReport writer = new BenchmarkReport(result,
				Objects.requireNonNull(report.toAbsolutePath().getParent(), "the report's directory")
					.relativize(results.toAbsolutePath())
					.toString());
		writer.all(home.resolve("docs/benchmarks-notes.md"), home.resolve("docs/benchmarks-soak.md"));
		try {
			Files.writeString(report, writer.text);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void all(Path notes, Path soak) {
		BenchmarkResult r = this.result;
		LoadResult max = r.max();
		line("# Benchmarks");
		line("");
		line("Measured by `./benchmark` on %s: the broker, the three services and the load generator all on one "
				+ "machine (%d cores, %.0f GiB). Every figure below comes from that run; the raw results are in "
				+ "[`%s/`](%s/).", r.date(), r.machine().cores(), r.machine().memoryGiB(), this.images, this.images);
		line("");
		line("## Targets");
		line("");
		line("| target | measured | met |");
		line("|---|---|---|");
		LoadResult best = Benchmark.mostCompleted(max, r.open());
		target("complete sagas per second at saturation >= 2,000, none lost",
				"%.0f/s (%s), %d unfinished".formatted(best.completedPerSecond(), best.label(), best.unfinished()),
				best.completedPerSecond() >= 2000 && best.unfinished() == 0);
		LoadResult bestUnkeyed = Benchmark.mostCompleted(r.maxUnkeyed(), List.of(r.flood()));
		target("the same without an `Idempotency-Key` (as curl sends orders) >= 2,000",
				"%.0f/s (%s), %d unfinished".formatted(bestUnkeyed.completedPerSecond(), bestUnkeyed.label(),
						bestUnkeyed.unfinished()),
				bestUnkeyed.completedPerSecond() >= 2000 && bestUnkeyed.unfinished() == 0);
		target("CPU per saga at saturation, the whole machine's (the peer sample: 0.5 ms)",
				"%.2f ms keyed, %.2f ms without a key".formatted(max.cpuMillisPerSaga(),
						r.maxUnkeyed().cpuMillisPerSaga()),
				Math.max(max.cpuMillisPerSaga(), r.maxUnkeyed().cpuMillisPerSaga()) <= 0.5);
		for (BenchmarkResult.Overload curve : r.overload()) {
			LoadResult flood = curve.runs().getLast();
			target("offered %.1f times saturation (%s): every accepted order completes, none with "
				.formatted(flood.targetRate() / curve.saturation(), curve.kind())
					+ "`PAYMENT_TIMEOUT`; their saga p99 < 1 s; a refusal's p99 <= 50 ms; completed >= 90% of "
					+ "saturation",
					"%d unfinished, %d `PAYMENT_TIMEOUT`; saga p99 %.0f ms; 503 p99 %.1f ms; %.0f/s of %.0f/s (%.0f%%)"
						.formatted(flood.unfinished(), paymentTimeouts(flood), flood.endToEnd().p99(),
								flood.refusals().p99(), flood.completedPerSecond(), curve.saturation(),
								100 * flood.completedPerSecond() / curve.saturation()),
					flood.unfinished() == 0 && paymentTimeouts(flood) == 0 && flood.endToEnd().p99() < 1000
							&& flood.refusals().p99() <= 50 && flood.completedPerSecond() >= 0.9 * curve.saturation());
		}
		r.open().stream().filter((run) -> run.targetRate() == 500).findFirst().ifPresentOrElse((at500) -> {
			target("saga p99 <= 50 ms at 500 orders/s", "%.1f ms".formatted(at500.endToEnd().p99()),
					at500.endToEnd().p99() <= 50 && !Benchmark.saturated(at500));
			target("saga p99.9 <= 100 ms at 500 orders/s", "%.1f ms".formatted(at500.endToEnd().p999()),
					at500.endToEnd().p999() <= 100 && !Benchmark.saturated(at500));
		}, () -> target("saga p99 <= 50 ms at 500 orders/s", "not reached: saturated below 500/s", false));
		for (BenchmarkResult.Service service : r.services()) {
			target(service.name() + " ready in <= 4 s", "%.1f s on its own, %.1f s beside the others"
				.formatted(service.soloStartSeconds(), service.coldStartSeconds()), service.soloStartSeconds() <= 4);
			target(service.name() + " <= 350 MB RSS at saturation",
					"%d MiB (peak %d MiB)".formatted(service.rssMiB(), service.peakRssMiB()),
					service.rssMiB() >= 0 && service.rssMiB() * 1.048576 <= 350);
		}
		line("");
		line("## Machine");
		line("");
		line("- %d cores: %s; %.1f GiB of memory", r.machine().cores(), r.machine().cpu(), r.machine().memoryGiB());
		line("- %s; %s", r.machine().jdk(), r.machine().os());
		line("- The whole stack (`./run`: broker, topics, three services started side by side) was ready in "
				+ "%.1f s.", r.stackReadySeconds());
		line("");
		line("## Kafka ceiling");
		line("");
		line("Kafka's own tools against the same broker in the same run, with the services' durability settings "
				+ "(`acks=all`, idempotence), %d-byte records:", KafkaCeiling.RECORD_SIZE);
		line("");
		line("| measure | figure |");
		line("|---|---|");
		line("| one producer, `ProducerPerformance`, %,d records | %,.0f records/s (%.1f MB/s) |",
				r.ceiling().records(), r.ceiling().recordsPerSecond(), r.ceiling().megabytesPerSecond());
		line("| one produce-consume hop, `EndToEndLatency` | p50 %.0f ms, p99 %.0f ms, p99.9 %.0f ms |",
				r.ceiling().hopP50(), r.ceiling().hopP99(), r.ceiling().hopP999());
		line("");
		line("A saga is at least six records (`OrderPlaced`, its re-keyed copy, `PaymentAuthorized`, "
				+ "`OrderConfirmed`, `NotificationSent`, and the state changelogs) in three exactly-once "
				+ "transactions: the saga at saturation runs at **%.2f%%** of the producer ceiling in records per "
				+ "second of orders.", 100 * best.completedPerSecond() / r.ceiling().recordsPerSecond());
		line("");
		warmUp(r.warmUp());
		line("## The saga, open model");
		line("");
		line("Orders sent at a fixed rate whatever the answers; latency counted from each order's intended send "
				+ "time, so a stall shows in full (no coordinated omission). *Saga* is from the intended send to "
				+ "the order's final event on `orders`. Nine orders in ten can be paid, one in twenty costs more "
				+ "than the balance, one in twenty has no account. Each run lasts %.0f s.", max.seconds());
		line("");
		line("| rate | accepted/s | sagas/s | POST p50 | POST p99 | saga p50 | saga p90 | saga p99 | saga p99.9 | saga max | unfinished | errors |");
		line("|---|---|---|---|---|---|---|---|---|---|---|---|");
		for (LoadResult run : r.open()) {
			row(run.targetRate() + "/s", run);
		}
		line("");
		line("![Saga latency by throughput](%s/latency-by-rate.png)", this.images);
		line("");
		line("## The saga at saturation");
		line("");
		line("%d clients, each sending its next order once the last is answered, for %.0f s. A client refused with "
				+ "`503` waits as `Retry-After` asks, and up to half as long again (so that refused clients do not all "
				+ "come back at once), as a well-behaved client does. In the *flood* run %d clients send again at "
				+ "once, ignoring `Retry-After`, as a careless or hostile one does (and as `wrk` does):",
				max.concurrency(), max.seconds(), r.flood().concurrency());
		line("");
		line("| run | accepted/s | sagas/s | POST p50 | POST p99 | saga p50 | saga p90 | saga p99 | saga p99.9 | saga max | unfinished | errors |");
		line("|---|---|---|---|---|---|---|---|---|---|---|---|");
		row(max.label(), max);
		row(r.maxUnkeyed().label(), r.maxUnkeyed());
		row(r.flood().label(), r.flood());
		line("");
		line("Outcomes: %s; without a key: %s. *errors* counts the refusals of admission control (`HTTP 503`). The "
				+ "whole machine spent %.2f ms of CPU per completed saga with keys, %.2f ms without and %.2f ms in "
				+ "the flood (broker, services, the generator and the kernel; read from `/proc/stat` from the first "
				+ "send to the last saga's end): every refusal costs both sides a request and, since Tomcat closes "
				+ "the connection after a `503`, a new connection.", max.outcomes(), r.maxUnkeyed().outcomes(),
				max.cpuMillisPerSaga(), r.maxUnkeyed().cpuMillisPerSaga(), r.flood().cpuMillisPerSaga());
		line("");
		line("![Throughput and latency over time at saturation](%s/%s.png)", this.images, max.label());
		line("");
		line("## Overload");
		line("");
		line("Each kind of client, open model, at shares and multiples of its saturation rate (the most sagas per "
				+ "second any of its runs above completed), %.0f s each. Past saturation order-service refuses with "
				+ "`503` and `Retry-After` what it cannot finish in time (admission control: no more orders pending "
				+ "than end in `ordersaga.orders.max-pending-wait` at the rate they are ending); *refusal p99* is the "
				+ "latency of those answers alone, *saga* that of the accepted orders.", max.seconds());
		for (BenchmarkResult.Overload curve : r.overload()) {
			line("");
			line("**%s** (saturation %.0f sagas/s):",
					curve.keyed() ? "With an `Idempotency-Key`" : "Without an `Idempotency-Key`", curve.saturation());
			line("");
			line("| offered/s | accepted/s | refused/s | completed/s | of saturation | saga p50 | saga p99 | POST p99 | refusal p99 | CPU per saga | unfinished | `PAYMENT_TIMEOUT` |");
			line("|---|---|---|---|---|---|---|---|---|---|---|---|");
			for (LoadResult run : curve.runs()) {
				line("| %d | %.0f | %.0f | %.0f | %.0f%% | %.1f ms | %.1f ms | %.1f ms | %s | %.2f ms | %d | %d |",
						run.targetRate(), run.acceptedPerSecond(), run.refused() / run.seconds(),
						run.completedPerSecond(), 100 * run.completedPerSecond() / curve.saturation(),
						run.endToEnd().p50(), run.endToEnd().p99(), run.post().p99(),
						(run.refused() > 0) ? "%.1f ms".formatted(run.refusals().p99()) : "none refused",
						run.cpuMillisPerSaga(), run.unfinished(), paymentTimeouts(run));
			}
		}
		line("");
		line("![Overload curves](%s/overload.png)", this.images);
		line("");
		line("## The services");
		line("");
		line("| service | start-up on its own | start-up beside the others | RSS after saturation | peak RSS |");
		line("|---|---|---|---|---|");
		for (BenchmarkResult.Service service : r.services()) {
			line("| %s | %.1f s | %.1f s | %d MiB | %d MiB |", service.name(), service.soloStartSeconds(),
					service.coldStartSeconds(), service.rssMiB(), service.peakRssMiB());
		}
		line("");
		line("Start-up is Spring Boot's own figure: from the JVM's start to a started application (`process "
				+ "running for`). *On its own*: the service restarted while the rest of the suite idles. Memory is "
				+ "read right after the saturation run, before the profiler below is started.");
		line("");
		line("## Where the time goes");
		line("");
		line("A JDK Flight Recorder profile (`settings=profile`) of each service during a second saturation run "
				+ "after the one above (%.0f sagas/s with the profiler, %.0f without); each CPU sample is charged to "
				+ "its first frame outside the JDK.", r.profiled().completedPerSecond(), max.completedPerSecond());
		for (Profile profile : r.profiles()) {
			line("");
			line("**%s** (%,d samples): %s. Busiest methods: %s.", profile.service(), profile.samples(),
					shares(profile.byArea()), shares(profile.topMethods()));
		}
		// The hand-written notes, and the last soak's section (./soak writes it).
		for (Path included : List.of(notes, soak)) {
			if (Files.exists(included)) {
				try {
					line("");
					this.text.append(Files.readString(included).strip()).append('\n');
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}
		}
		line("");
		line("## Reproduce");
		line("");
		line("```bash");
		line("./benchmark");
		line("```");
		line("");
		// The runs' own lengths, and about five minutes to start the suite, time the
		// restarts, measure Kafka and let each run's orders end.
		line("It builds what is missing, starts the suite with `./run` on free ports (data in "
				+ "`target/benchmark-run`), and rewrites this file and `docs/benchmarks/`. Expect about %d minutes.",
				Math.round(r.runs().stream().mapToDouble(LoadResult::seconds).sum() / 60) + 5);
	}

	/**
	 * The warm-up from a fresh start, half a minute at a time: how long the suite takes
	 * to reach its pace, while its JIT compilers work.
	 */
	private void warmUp(List<LoadResult> runs) {
		line("## Warming up");
		line("");
		line("Before anything else, the freshly started suite runs as fast as it goes (%d clients that wait as "
				+ "`Retry-After` asks), first with keys, then without. These runs are not counted below: the "
				+ "services' JIT compilers are still compiling their code, and the sagas completed per second "
				+ "rise for minutes. Sagas completed per second, by half-minute:",
				runs.isEmpty() ? 0 : runs.getFirst().concurrency());
		line("");
		for (LoadResult run : runs) {
			List<String> halves = new ArrayList<>();
			List<LoadResult.Second> seconds = run.timeline();
			for (int from = 0; from + 30 <= seconds.size(); from += 30) {
				halves.add(String.format(Locale.ROOT, "%,d",
						Math.round(
								seconds.subList(from, from + 30).stream().mapToLong(LoadResult.Second::completed).sum()
										/ 30.0)));
			}
			if (halves.isEmpty()) {
				// Shorter than half a minute: the run's own average.
				halves.add(String.format(Locale.ROOT, "%,.0f", run.completedPerSecond()));
			}
			line("- %s: %s (%d unfinished)", run.label(), String.join("; ", halves), run.unfinished());
		}
		line("");
		if (!runs.isEmpty()) {
			line("![The warm-up over time](%s/%s.png)", this.images, runs.getFirst().label());
			line("");
		}
	}

	private void row(String label, LoadResult run) {
		line("| %s | %.0f | %.0f | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %d | %s |",
				label, run.acceptedPerSecond(), run.completedPerSecond(), run.post().p50(), run.post().p99(),
				run.endToEnd().p50(), run.endToEnd().p90(), run.endToEnd().p99(), run.endToEnd().p999(),
				run.endToEnd().max(), run.unfinished(), run.errors().isEmpty() ? "none" : run.errors().toString());
	}

	private static long paymentTimeouts(LoadResult run) {
		return run.outcomes().getOrDefault("CANCELLED PAYMENT_TIMEOUT", 0L);
	}

	private void target(String target, String measured, boolean met) {
		line("| %s | %s | %s |", target, measured, met ? "yes" : "**no**");
	}

	private static String shares(Map<String, Double> shares) {
		StringBuilder text = new StringBuilder();
		shares.forEach((name, share) -> text.append((text.length() > 0) ? ", " : "")
			.append(name)
			.append(' ')
			.append(String.format(Locale.ROOT, "%.1f%%", share)));
		return text.toString();
	}

	private void line(String format, Object... arguments) {
		this.text.append(String.format(Locale.ROOT, format, arguments)).append('\n');
	}

}
