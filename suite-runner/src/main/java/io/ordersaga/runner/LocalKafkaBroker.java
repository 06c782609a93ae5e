package io.ordersaga.runner;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A Kafka node (KRaft) in its own JVM, run from the Kafka jars on this module's class
 * path: a single broker and controller in one, or a node of a {@link LocalKafkaCluster}.
 * Its data stays in a directory of the caller's, so a second start finds the topics and
 * records of the first.
 */
public final class LocalKafkaBroker implements AutoCloseable {

	private final Process process;

	private final String bootstrapServers;

	private final Path log;

	/** How a client that checks whether the broker answers connects to it. */
	private final Map<String, Object> clientProperties;

	private LocalKafkaBroker(Process process, String bootstrapServers, Path log, Map<String, Object> clientProperties) {
		this.process = process;
		this.bootstrapServers = bootstrapServers;
		this.log = log;
		this.clientProperties = clientProperties;
	}

	/**
	 * Starts a broker with a configuration of the caller's, such as the one a compose
	 * file gives the {@code apache/kafka} image, and waits until it answers.
	 * @param dataDir where the configuration goes; the configuration's {@code log.dirs}
	 * are formatted on first use
	 * @param serverProperties the broker's whole configuration
	 * @param clusterId the cluster id to format with
	 * @param bootstrapServers the address at which it answers clients
	 * @param log the file the broker logs to
	 * @param timeout how long to wait for the broker to answer
	 * @return the running broker
	 */
	public static LocalKafkaBroker start(Path dataDir, String serverProperties, String clusterId,
			String bootstrapServers, Path log, Duration timeout) {
		LocalKafkaBroker broker = launch(dataDir, serverProperties, clusterId, bootstrapServers, log, Map.of(),
				List.of());
		broker.awaitReady(timeout);
		return broker;
	}

	/**
	 * Starts a broker without waiting for it: the nodes of a cluster answer only once a
	 * quorum of them runs. A log directory without {@code meta.properties} (new, or
	 * emptied as when a machine's disk is replaced) is formatted first; formatted ones
	 * are left as they are.
	 * @param clientProperties the security settings of a client of the admin's, to check
	 * that the broker answers (none for an open broker)
	 * @param formatArguments more arguments of a first format, such as the SCRAM users
	 */
	static LocalKafkaBroker launch(Path dataDir, String serverProperties, String clusterId, String bootstrapServers,
			Path log, Map<String, Object> clientProperties, List<String> formatArguments) {
		return launch(dataDir, serverProperties, clusterId, bootstrapServers, log, clientProperties, formatArguments,
				List.of());
	}

	/**
	 * Starts a broker as {@link #launch(Path, String, String, String, Path, Map, List)}
	 * does, with more options for its JVM, as {@code KAFKA_OPTS} gives them to Kafka's
	 * start script.
	 * @param jvmOptions the options, such as where a JAAS file is
	 */
	static LocalKafkaBroker launch(Path dataDir, String serverProperties, String clusterId, String bootstrapServers,
			Path log, Map<String, Object> clientProperties, List<String> formatArguments, List<String> jvmOptions) {
		try {
			Files.createDirectories(dataDir);
			Files.createDirectories(log.getParent());
			Path config = dataDir.resolve("server.properties");
			Files.writeString(config, serverProperties);
			Path logging = dataDir.resolve("log4j2.properties");
			Files.writeString(logging, LOG4J2);
			if (!formatted(serverProperties)) {
				List<String> format = new ArrayList<>(
						List.of("format", "--ignore-formatted", "-t", clusterId, "-c", config.toString()));
				format.addAll(formatArguments);
				run(log, logging, "kafka.tools.StorageTool", format.toArray(String[]::new));
			}
			List<String> arguments = new ArrayList<>(jvmOptions);
			arguments.addAll(List.of("kafka.Kafka", config.toString()));
			Process process = java(log, logging, arguments.toArray(String[]::new)).start();
			return new LocalKafkaBroker(process, bootstrapServers, log, Map.copyOf(clientProperties));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Whether every log directory and the metadata directory have been formatted. */
	private static boolean formatted(String serverProperties) throws IOException {
		Properties properties = new Properties();
		properties.load(new StringReader(serverProperties));
		List<String> dirs = new ArrayList<>(List.of(properties.getProperty("log.dirs", "").split(",")));
		String metadata = properties.getProperty("metadata.log.dir");
		if (metadata != null) {
			dirs.add(metadata);
		}
		return dirs.stream()
			.map(String::strip)
			.filter((dir) -> !dir.isEmpty())
			.allMatch((dir) -> Files.exists(Path.of(dir, "meta.properties")));
	}

	/**
	 * The address clients connect to.
	 * @return {@code localhost:<port>}
	 */
	public String bootstrapServers() {
		return this.bootstrapServers;
	}

	/**
	 * The broker's process, for callers that must stop it the hard way.
	 * @return the process
	 */
	public Process process() {
		return this.process;
	}

	void awaitReady(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		Map<String, Object> config = new HashMap<>(this.clientProperties);
		config.putAll(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers,
				AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
				2000));
		try (Admin admin = Admin.create(config)) {
			while (System.nanoTime() < deadline) {
				if (!this.process.isAlive()) {
					throw new IllegalStateException("Kafka stopped while starting (exit code "
							+ this.process.exitValue() + "); see " + this.log);
				}
				try {
					admin.describeCluster().clusterId().get(2, TimeUnit.SECONDS);
					return;
				}
				catch (Exception ex) {
					// not up yet
				}
			}
		}
		close();
		throw new IllegalStateException("Kafka did not answer within " + timeout + "; see " + this.log);
	}

	/** Stops the broker cleanly, or forcibly if it does not stop within 30 seconds. */
	@Override
	public void close() {
		ChildProcesses.stop(this.process);
	}

	private static void run(Path log, Path logging, String mainClass, String... args) throws IOException {
		try {
			List<String> command = new ArrayList<>(List.of(mainClass));
			command.addAll(List.of(args));
			Process process = java(log, logging, command.toArray(String[]::new)).start();
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException(mainClass + " failed; see " + log);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** A JVM with Kafka's classes: JVM options, the main class, then its arguments. */
	private static ProcessBuilder java(Path log, Path logging, String... args) {
		Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
		List<String> command = new ArrayList<>(List.of(javaBin.toString(), "-Xms256m", "-Xmx1g"));
		command.addAll(RunJvmOptions.current());
		command.addAll(
				List.of("-Dlog4j2.configurationFile=" + logging.toUri(), "-cp", System.getProperty("java.class.path")));
		command.addAll(List.of(args));
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
	}

	private static final String LOG4J2 = """
			status = warn
			appender.console.type = Console
			appender.console.name = console
			appender.console.layout.type = PatternLayout
			appender.console.layout.pattern = %d{ISO8601} %-5p [%c{1}] %m%n
			rootLogger.level = info
			rootLogger.appenderRef.console.ref = console
			logger.kafka.name = kafka
			logger.kafka.level = warn
			logger.apache.name = org.apache.kafka
			logger.apache.level = warn
			logger.state.name = state.change.logger
			logger.state.level = warn
			""";

}
