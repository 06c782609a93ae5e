package io.ordersaga.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The soak's section of the benchmark report: the curve, and for each service what its
 * memory and state did after the warm-up (the first third of the run), with the slope of
 * a straight line through those samples, which is near zero for what stays flat.
 */
final class SoakReport {

	static final String HEADING = "## Soak";

	private final StringBuilder text = new StringBuilder();

	private SoakReport() {
	}

	static String section(Soak.Result soak, Path images) {
		SoakReport report = new SoakReport();
		report.all(soak, images.toString());
		return report.text.toString();
	}

	/**
	 * Puts the section into the report in place of the one there, or before its closing
	 * "Reproduce" section if it has none yet, or at its end.
	 * @param report the Markdown report
	 * @param section the new section
	 * @throws IOException if the report cannot be read or written
	 */
	static void splice(Path report, String section) throws IOException {
		String text = Files.exists(report) ? Files.readString(report) : "";
		int start = text.indexOf(HEADING + "\n");
		int end;
		if (start >= 0) {
			end = text.indexOf("\n## ", start + HEADING.length());
			end = (end >= 0) ? end + 1 : text.length();
		}
		else {
			start = text.indexOf("## Reproduce\n");
			if (start < 0) {
				start = text.length();
			}
			end = start;
		}
		Files.writeString(report, text.substring(0, start) + section + "\n" + text.substring(end));
	}

	private void all(Soak.Result soak, String images) {
		List<Soak.Sample> samples = soak.samples();
		double warmUp = soak.minutes() / 3.0;
		List<Soak.Sample> afterWarmUp = samples.stream().filter((sample) -> sample.minute() >= warmUp).toList();
		List<Soak.Sample> window = (afterWarmUp.size() >= 2) ? afterWarmUp : samples;
		LoadResult load = soak.load();
		line(HEADING);
		line("");
		line("Measured by `./soak` on %s: %d orders/s for %d minutes (open model, %d customers), on the same machine "
				+ "and from the same `./run` as above, with `STATE_RETENTION=%s`, so that the state stores reach their "
				+ "steady size within the run (the default is a day: the stores then level off after a day, at a size "
				+ "in proportion to the retention). A sample every %.0f s of each service's resident memory "
				+ "(`VmRSS`) and of its state directory on disk; the figures below are from after the warm-up, the "
				+ "first third of the run.", soak.date(), soak.rate(), soak.minutes(), soak.customers(),
				soak.stateRetention(), interval(samples));
		line("");
		line("![Memory and Kafka Streams state during the soak](%s/soak.png)", images);
		line("");
		double warmUpSeconds = warmUp * 60;
		LoadResult.Second worst = load.timeline()
			.stream()
			.filter((second) -> second.second() >= warmUpSeconds && second.completed() > 0)
			.max(Comparator.comparingDouble(LoadResult.Second::endToEndP99))
			.orElse(load.timeline().getLast());
		line("The load: %,d orders sent, %,d accepted, %.0f sagas/s completed, %d unfinished, errors: %s. Over the "
				+ "whole run, started cold with no warm-up, saga p50 %.1f ms and p99 %.1f ms; after the warm-up the "
				+ "worst second's saga p99 was %.1f ms (second %d).", load.sent(), load.accepted(),
				load.completedPerSecond(), load.unfinished(),
				load.errors().isEmpty() ? "none" : load.errors().toString(), load.endToEnd().p50(),
				load.endToEnd().p99(), worst.endToEndP99(), worst.second());
		line("");
		line("| service | RSS: min / max / last | RSS slope | store entries: min / max / last | entries slope "
				+ "| Streams state on disk: min / max / last | read model: at warm-up → last |");
		line("|---|---|---|---|---|---|---|");
		for (String service : LaunchedSuite.SERVICES) {
			line("| %s | %s MiB | %+.1f MiB per 10 min | %s | %+,.0f per 10 min | %s MiB | %.1f → %.1f MiB |", service,
					range(window, (sample) -> (double) sample.rssMiB().getOrDefault(service, 0L), "%.0f"),
					slope(window, (sample) -> (double) sample.rssMiB().getOrDefault(service, 0L)) * 10,
					range(window, (sample) -> (double) sample.entries(service), "%,.0f"),
					slope(window, (sample) -> (double) sample.entries(service)) * 10,
					range(window, (sample) -> Soak.mib(sample.streamsStateBytes().getOrDefault(service, 0L)), "%.1f"),
					Soak.mib(window.getFirst().readModelBytes().getOrDefault(service, 0L)),
					Soak.mib(window.getLast().readModelBytes().getOrDefault(service, 0L)));
		}
		line("");
		line("The stores at the end, by name: %s. At %d orders/s and a retention of %s, a store that keeps an "
				+ "entry per order holds about %,d entries once the retention has passed (each store's expiry "
				+ "index, `*-expiry`, about as many again), plus what a punctuation has not removed yet. The "
				+ "entries are RocksDB's estimate, which counts a key written again or deleted until compaction "
				+ "merges it: a store's figure swings by a fifth or so from sample to sample around its level.",
				storesAtEnd(samples.getLast()), soak.rate(), soak.stateRetention(),
				(long) (soak.rate() * retentionSeconds(soak.stateRetention())));
		long orders = Math.max(1, load.accepted());
		Soak.Sample first = samples.getFirst();
		Soak.Sample last = samples.getLast();
		line("");
		line("The read models and the topics keep every order by design (the topics are the system of record, "
				+ "`retention.ms=-1`): they grow with the orders, not with time. Over the run order-service's read "
				+ "model grew by %.0f bytes per accepted order, notification-service's by %.0f, and the broker's log "
				+ "segments by %.0f: every topic's, the Streams changelogs (compacted only later) and repartition "
				+ "topics, offsets and transactions included (RocksDB and the log segments compact and roll in "
				+ "steps, so these are averages).",
				perOrder(first, last, orders, (sample) -> sample.readModelBytes().getOrDefault("order-service", 0L)),
				perOrder(first, last, orders,
						(sample) -> sample.readModelBytes().getOrDefault("notification-service", 0L)),
				perOrder(first, last, orders, Soak.Sample::kafkaLogBytes));
		line("");
		line("Run it again with `./soak` (about %d minutes; data in `target/soak-run`): it rewrites this section, "
				+ "`docs/benchmarks-soak.md`, and `soak.json`/`soak.png` in `docs/benchmarks/`.", soak.minutes() + 2);
	}

	private static String storesAtEnd(Soak.Sample last) {
		StringBuilder text = new StringBuilder();
		last.storeEntries().forEach((service, stores) -> {
			text.append((text.length() > 0) ? "; " : "").append(service).append(": ");
			StringBuilder each = new StringBuilder();
			stores.forEach((store, entries) -> each.append((each.length() > 0) ? ", " : "")
				.append('`')
				.append(store)
				.append("` ")
				.append(String.format(Locale.ROOT, "%,d", entries)));
			text.append((each.length() > 0) ? each : "none");
		});
		return text.toString();
	}

	private static double retentionSeconds(String retention) {
		return Duration.parse(retention).toSeconds();
	}

	private static double interval(List<Soak.Sample> samples) {
		return (samples.size() < 2) ? 0
				: (samples.getLast().minute() - samples.getFirst().minute()) * 60 / (samples.size() - 1);
	}

	private static double perOrder(Soak.Sample first, Soak.Sample last, long orders,
			Function<Soak.Sample, Long> bytes) {
		return (bytes.apply(last) - bytes.apply(first)) / (double) orders;
	}

	private static String range(List<Soak.Sample> samples, Function<Soak.Sample, Double> value, String format) {
		double min = samples.stream().mapToDouble(value::apply).min().orElse(0);
		double max = samples.stream().mapToDouble(value::apply).max().orElse(0);
		double last = value.apply(samples.getLast());
		return String.format(Locale.ROOT, format + " / " + format + " / " + format, min, max, last);
	}

	/** The least-squares slope of a value against the minute, per minute. */
	static double slope(List<Soak.Sample> samples, Function<Soak.Sample, Double> value) {
		double n = samples.size();
		double meanX = samples.stream().mapToDouble(Soak.Sample::minute).sum() / n;
		double meanY = samples.stream().mapToDouble(value::apply).sum() / n;
		double covariance = 0;
		double variance = 0;
		for (Soak.Sample sample : samples) {
			covariance += (sample.minute() - meanX) * (value.apply(sample) - meanY);
			variance += (sample.minute() - meanX) * (sample.minute() - meanX);
		}
		return (variance == 0) ? 0 : covariance / variance;
	}

	private void line(String format, Object... arguments) {
		this.text.append(String.format(Locale.ROOT, format, arguments)).append('\n');
	}

}
