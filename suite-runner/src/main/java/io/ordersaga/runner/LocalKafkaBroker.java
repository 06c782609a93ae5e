package io.ordersaga.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A single-node Kafka broker (broker and controller in one, KRaft) in its own JVM, run
 * from the Kafka jars on this module's class path. Its data stays in a directory of the
 * caller's, so a second start finds the topics and records of the first.
 */
public final class LocalKafkaBroker implements AutoCloseable {

	/**
	 * A fixed cluster id (22 base64 characters), so a data directory is always reusable.
	 */
	static final String CLUSTER_ID = "b3JkZXJzYWdhLWxvY2FsMQ";

	private final Process process;

	private final String bootstrapServers;

	private final Path log;

	private LocalKafkaBroker(Process process, String bootstrapServers, Path log) {
		this.process = process;
		this.bootstrapServers = bootstrapServers;
		this.log = log;
	}

	/**
	 * Starts the broker and waits until it answers.
	 * @param dataDir where the broker keeps its data; formatted on first use
	 * @param port the client port
	 * @param controllerPort the controller port
	 * @param log the file the broker logs to
	 * @param timeout how long to wait for the broker to answer
	 * @return the running broker
	 */
	public static LocalKafkaBroker start(Path dataDir, int port, int controllerPort, Path log, Duration timeout) {
		return start(dataDir, serverProperties(dataDir.resolve("log"), port, controllerPort), CLUSTER_ID,
				"localhost:" + port, log, timeout);
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
		try {
			Files.createDirectories(dataDir);
			Files.createDirectories(log.getParent());
			Path config = dataDir.resolve("server.properties");
			Files.writeString(config, serverProperties);
			Path logging = dataDir.resolve("log4j2.properties");
			Files.writeString(logging, LOG4J2);
			if (!Files.exists(dataDir.resolve("formatted"))) {
				run(log, logging, "kafka.tools.StorageTool", "format", "--ignore-formatted", "-t", clusterId, "-c",
						config.toString());
				Files.createFile(dataDir.resolve("formatted"));
			}
			Process process = java(log, logging, "kafka.Kafka", config.toString()).start();
			LocalKafkaBroker broker = new LocalKafkaBroker(process, bootstrapServers, log);
			broker.awaitReady(timeout);
			return broker;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
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

	private void awaitReady(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers,
				AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
				2000))) {
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
			Process process = java(log, logging, mainClass, args).start();
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException(mainClass + " failed; see " + log);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static ProcessBuilder java(Path log, Path logging, String mainClass, String... args) {
		Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
		List<String> command = new ArrayList<>(
				List.of(javaBin.toString(), "-Xms256m", "-Xmx1g", "-Dlog4j2.configurationFile=" + logging.toUri(),
						"-cp", System.getProperty("java.class.path"), mainClass));
		command.addAll(List.of(args));
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
	}

	private static String serverProperties(Path logDir, int port, int controllerPort) {
		return """
				# Written by suite-runner on every start: a single node that is broker and controller.
				process.roles=broker,controller
				node.id=1
				controller.quorum.voters=1@localhost:%2$d
				listeners=PLAINTEXT://localhost:%1$d,CONTROLLER://localhost:%2$d
				advertised.listeners=PLAINTEXT://localhost:%1$d
				controller.listener.names=CONTROLLER
				listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
				log.dirs=%3$s
				num.partitions=3
				auto.create.topics.enable=false
				offsets.topic.replication.factor=1
				transaction.state.log.replication.factor=1
				transaction.state.log.min.isr=1
				share.coordinator.state.topic.replication.factor=1
				share.coordinator.state.topic.min.isr=1
				group.initial.rebalance.delay.ms=0
				""".formatted(port, controllerPort, logDir.toAbsolutePath());
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
