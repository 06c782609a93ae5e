package io.ordersaga.load;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The load generator's command line: one run against a running suite, with its results as
 * JSON and a chart.
 *
 * <pre>
 * ./load --rate 500 --duration 60s
 * ./load --max --concurrency 64 --duration 30s
 * </pre>
 */
public final class LoadGenerator {

	static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private LoadGenerator() {
	}

	/**
	 * Writes a run's results: {@code <label>.json} and {@code <label>.png}.
	 * @param result the results
	 * @param directory where they go
	 */
	static void write(LoadResult result, Path directory) {
		try {
			Files.createDirectories(directory);
			Files.writeString(directory.resolve(resultsFile(result)), JSON.writeValueAsString(result));
			Charts.timeline(result, directory.resolve(timelineFile(result)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The name of the file {@link #write} puts a run's results in.
	 * @param result the run
	 * @return the file's name
	 */
	static String resultsFile(LoadResult result) {
		return result.label() + ".json";
	}

	/**
	 * The name of the file {@link #write} puts a run's timeline chart in.
	 * @param result the run
	 * @return the file's name
	 */
	static String timelineFile(LoadResult result) {
		return result.label() + ".png";
	}

	public static void main(String[] args) {
		int status = run(args, System.out, System.err);
		if (status != 0) {
			System.exit(status);
		}
	}

	/**
	 * Runs the command line.
	 * @param args its arguments
	 * @param out where progress and results go
	 * @param err where a mistake is explained
	 * @return the exit status: 0 after a run, 2 for a mistyped command line, 1 when the
	 * suite does not answer
	 */
	static int run(String[] args, PrintStream out, PrintStream err) {
		List<String> arguments = List.of(args);
		if (arguments.contains("--help") || arguments.contains("-h")) {
			out.println(Options.USAGE);
			return 0;
		}
		Options options;
		LoadPlan.Target target;
		try {
			options = Options.parse(args);
			target = options.target();
		}
		catch (IllegalArgumentException ex) {
			// A mistyped command line: say what is wrong and how it is written, no trace.
			err.println(ex.getMessage());
			err.println(Options.USAGE);
			return 2;
		}
		LoadPlan plan = new LoadPlan(options.label(), options.mode, options.rate, options.concurrency, options.duration,
				options.customers, options.keyed, target);
		out.println("Load: " + plan.label() + " for " + plan.duration().toSeconds() + " s against "
				+ String.join(", ", plan.target().ordersUrls()) + " (" + plan.customers() + " customers)");
		LoadResult result;
		try {
			result = new LoadRun(plan, out).run();
		}
		catch (SuiteUnreachableException ex) {
			// Nothing of the suite to measure: one sentence that says what to do, no
			// trace.
			err.println(ex.getMessage());
			return 1;
		}
		write(result, options.out);
		out.printf("%s: %d sent, %d accepted (%.1f/s), %.1f sagas completed/s, %d unfinished, errors %s%n",
				result.label(), result.sent(), result.accepted(), result.acceptedPerSecond(),
				result.completedPerSecond(), result.unfinished(), result.errors());
		out.printf("POST  ms: p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n", result.post().p50(),
				result.post().p90(), result.post().p99(), result.post().p999(), result.post().max());
		if (result.refused() > 0) {
			out.printf("503   ms: p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f  (%d refused)%n",
					result.refusals().p50(), result.refusals().p90(), result.refusals().p99(), result.refusals().p999(),
					result.refusals().max(), result.refused());
		}
		out.printf("saga  ms: p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n", result.endToEnd().p50(),
				result.endToEnd().p90(), result.endToEnd().p99(), result.endToEnd().p999(), result.endToEnd().max());
		if (result.cpuMillisPerSaga() >= 0) {
			out.printf("CPU   %.2f ms per completed saga, the whole machine's (broker, services, this generator)%n",
					result.cpuMillisPerSaga());
		}
		out.println("outcomes " + result.outcomes() + "; results in " + options.out.toAbsolutePath());
		return 0;
	}

	/** The command line's options and their defaults. */
	static final class Options {

		static final String USAGE = """
				Usage: ./load [--rate N | --max [--concurrency N] [--ignore-retry-after]] [--duration 30s|2m]
				              [--customers N]
				              [--no-idempotency-key] [--orders-url URL[,URL...]] [--payments-url URL]
				              [--kafka HOST:PORT] [--secure [--secrets DIR] [--issuer URL]] [--out DIR]
				  --rate N          an open model: N orders/s (default 200)
				  --max             as fast as --concurrency clients (default 64) can send; a
				                    client refused with 503 waits as Retry-After asks
				  --ignore-retry-after   with --max: a refused client sends again at once
				  --duration        how long to send (default 30s)
				  --customers N     accounts to spread the orders over (default 200)
				  --no-idempotency-key   send orders without an Idempotency-Key, as curl does
				                    (default: each order has its own key)
				  --orders-url, --payments-url, --kafka   the suite to drive (default: ./run's ports;
				                    plain HTTP: http://host:port); several order-service
				                    instances, comma-separated, get the orders in turn (one
				                    that refuses a connection, the next)
				  --secure          a suite in secure mode (./run --secure): Kafka as the admin,
				                    orders with each customer's token, credits with the
				                    operator's, from the secrets in --secrets (default
				                    .run-data/secrets) and the issuer at --issuer (default
				                    http://localhost:8084)
				  --out DIR         where the JSON results and charts go (default target/load)""";

		LoadPlan.Mode mode = LoadPlan.Mode.OPEN;

		int rate = 200;

		int concurrency = 64;

		Duration duration = Duration.ofSeconds(30);

		int customers = 200;

		boolean keyed = true;

		List<String> ordersUrls = LoadPlan.Target.LOCAL.ordersUrls();

		String paymentsUrl = LoadPlan.Target.LOCAL.paymentsUrl();

		String kafka = LoadPlan.Target.LOCAL.bootstrapServers();

		Path out = Path.of("target", "load");

		boolean secure;

		/**
		 * Where {@code ./run --secure} keeps them, as {@code RUN_DATA_DIR} may move it.
		 */
		Path secrets = Path.of(Objects.requireNonNullElse(System.getenv("RUN_DATA_DIR"), ".run-data"), "secrets");

		String issuer = "http://localhost:8084";

		/** The suite to drive, as the options name it. */
		LoadPlan.Target target() {
			return new LoadPlan.Target(this.ordersUrls, this.paymentsUrl, this.kafka,
					this.secure ? SecureAccess.of(this.secrets, this.issuer) : null);
		}

		String label() {
			String label = switch (this.mode) {
				case OPEN -> "open-" + this.rate;
				case MAX -> "max-" + this.concurrency;
				case FLOOD -> "flood-" + this.concurrency;
			};
			return this.keyed ? label : label + "-unkeyed";
		}

		static Options parse(String[] args) {
			Options options = new Options();
			List<String> rest = new ArrayList<>(List.of(args));
			boolean ignoreRetryAfter = false;
			while (!rest.isEmpty()) {
				String option = rest.remove(0);
				switch (option) {
					case "--max" -> options.mode = LoadPlan.Mode.MAX;
					case "--ignore-retry-after" -> ignoreRetryAfter = true;
					case "--rate" -> options.rate = positive(option, value(option, rest));
					case "--concurrency" -> options.concurrency = positive(option, value(option, rest));
					case "--duration" -> options.duration = duration(value(option, rest));
					case "--customers" -> options.customers = positive(option, value(option, rest));
					case "--no-idempotency-key" -> options.keyed = false;
					case "--orders-url" -> options.ordersUrls = Arrays.stream(value(option, rest).split(",", -1))
						.map((url) -> url(option, url.strip()))
						.toList();
					case "--payments-url" -> options.paymentsUrl = url(option, value(option, rest));
					case "--kafka" -> options.kafka = value(option, rest);
					case "--out" -> options.out = Path.of(value(option, rest));
					case "--secure" -> options.secure = true;
					case "--secrets" -> options.secrets = Path.of(value(option, rest));
					case "--issuer" -> options.issuer = url(option, value(option, rest));
					default -> throw new IllegalArgumentException("Unknown option " + option);
				}
			}
			if (ignoreRetryAfter) {
				if (options.mode != LoadPlan.Mode.MAX) {
					throw new IllegalArgumentException("--ignore-retry-after goes with --max: "
							+ "an open model sends its orders whatever the answers");
				}
				options.mode = LoadPlan.Mode.FLOOD;
			}
			return options;
		}

		static Duration duration(String text) {
			try {
				Duration duration = text.endsWith("m")
						? Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)))
						: Duration.ofSeconds(Long.parseLong(text.replaceFirst("s$", "")));
				if (duration.isPositive()) {
					return duration;
				}
			}
			catch (NumberFormatException ex) {
				// Said below.
			}
			throw new IllegalArgumentException(
					"--duration needs seconds or minutes, such as 30s or 2m, not '" + text + "'");
		}

		private static int positive(String option, String text) {
			try {
				int value = Integer.parseInt(text.strip());
				if (value > 0) {
					return value;
				}
			}
			catch (NumberFormatException ex) {
				// Said below.
			}
			throw new IllegalArgumentException(option + " needs a whole number above 0, not '" + text + "'");
		}

		private static String url(String option, String text) {
			if (Http.isPlainHttp(text)) {
				return text;
			}
			throw new IllegalArgumentException(
					option + " needs a plain HTTP URL, such as http://localhost:8081, not '" + text + "'");
		}

		private static String value(String option, List<String> rest) {
			if (rest.isEmpty()) {
				throw new IllegalArgumentException(option + " needs a value");
			}
			return rest.remove(0);
		}

	}

}
