package io.ordersaga.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Debian's Prometheus ({@code apt-get install prometheus}) scraping the services of
 * {@code ./run --prometheus}, with the monitoring compose file's own scrape configuration
 * ({@code docker/monitoring/prometheus.yml}): only its targets change, from a container's
 * name to the Actuator of every instance of that service on this machine. The Grafana
 * dashboard's queries run against it as they would in compose.
 */
final class LocalPrometheus implements AutoCloseable {

	/** The compose file's scrape configuration, below the repository. */
	static final String CONFIGURATION = "docker/monitoring/prometheus.yml";

	/** A target of the compose file: a service's container and its Actuator's port. */
	private static final Pattern TARGET = Pattern.compile("\"([a-z]+-service):\\d+\"");

	private final Process process;

	private final String url;

	private LocalPrometheus(Process process, String url) {
		this.process = process;
		this.url = url;
	}

	/**
	 * The compose file's scrape configuration with each service's targets on this
	 * machine.
	 * @param configuration the compose file's configuration
	 * @param actuators each service's Actuator base URLs, one per instance
	 * @return the configuration for this machine
	 */
	static String forThisMachine(String configuration, Function<String, List<String>> actuators) {
		Matcher target = TARGET.matcher(configuration);
		StringBuilder local = new StringBuilder();
		while (target.find()) {
			String addresses = actuators.apply(target.group(1))
				.stream()
				.map((url) -> "\"" + URI.create(url).getAuthority() + "\"")
				.collect(Collectors.joining(", "));
			target.appendReplacement(local, Matcher.quoteReplacement(addresses));
		}
		target.appendTail(local);
		return local.toString();
	}

	/**
	 * Starts Prometheus and waits until it answers.
	 * @param home the repository
	 * @param directory where its configuration and data go
	 * @param port its port, on this machine's loopback address
	 * @param actuators each service's Actuator base URLs
	 * @param log its log
	 * @param timeout how long to wait for it
	 * @return the running Prometheus
	 * @throws IllegalStateException if Prometheus is not installed or does not start
	 */
	static LocalPrometheus start(Path home, Path directory, int port, Function<String, List<String>> actuators,
			Path log, Duration timeout) {
		Path binary = binary();
		try {
			Files.createDirectories(directory);
			Files.createDirectories(log.getParent());
			Path configuration = directory.resolve("prometheus.yml");
			Files.writeString(configuration, forThisMachine(Files.readString(home.resolve(CONFIGURATION)), actuators));
			Process process = new ProcessBuilder(binary.toString(), "--config.file=" + configuration,
					"--storage.tsdb.path=" + directory.resolve("data"), "--storage.tsdb.retention.time=7d",
					"--storage.tsdb.retention.size=1GB", "--web.listen-address=127.0.0.1:" + port)
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.start();
			LocalPrometheus prometheus = new LocalPrometheus(process, "http://127.0.0.1:" + port);
			prometheus.awaitReady(timeout, log);
			return prometheus;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path binary() {
		for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
			Path candidate = Path.of(dir.isEmpty() ? "." : dir, "prometheus");
			if (Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		throw new IllegalStateException(
				"--prometheus needs Prometheus on the PATH: install Debian's package (apt-get install prometheus)");
	}

	private void awaitReady(Duration timeout, Path log) {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("Prometheus stopped while starting (exit code "
						+ this.process.exitValue() + "; see " + log + ")");
			}
			try {
				HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(URI.create(this.url + "/-/ready")).build(),
						HttpResponse.BodyHandlers.discarding());
				if (ready.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				close();
				throw new IllegalStateException("Interrupted while starting Prometheus", ex);
			}
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				close();
				throw new IllegalStateException("Interrupted while starting Prometheus", ex);
			}
		}
		close();
		throw new IllegalStateException("Prometheus did not answer within " + timeout + " (see " + log + ")");
	}

	/**
	 * Where Prometheus answers: its UI and its HTTP API.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	String url() {
		return this.url;
	}

	@Override
	public void close() {
		ChildProcesses.stop(this.process);
	}

}
