package io.ordersaga.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.ordersaga.runner.Commands;
import io.ordersaga.events.Replication;
import io.ordersaga.events.TopicCatalogue;
import org.apache.kafka.clients.admin.Admin;

/**
 * What the broker itself does on this machine, measured with Kafka's own tools from the
 * same jars the broker runs from: the most records per second one producer writes with
 * the services' durability settings, and the latency of one hop.
 *
 * @param records records the producer wrote
 * @param recordsPerSecond the producer's throughput
 * @param megabytesPerSecond the same in MB/s
 * @param hopP50 one produce-and-consume hop, median, ms
 * @param hopP99 its 99th percentile, ms
 * @param hopP999 its 99.9th percentile, ms
 */
record KafkaCeiling(long records, double recordsPerSecond, double megabytesPerSecond, double hopP50, double hopP99,
		double hopP999) {

	/** The size of an {@code OrderPlaced} event, roughly. */
	static final int RECORD_SIZE = 500;

	private static final Pattern PRODUCED = Pattern
		.compile("(\\d+) records sent, ([0-9.]+) records/sec \\(([0-9.]+) MB/sec\\)");

	private static final Pattern PERCENTILES = Pattern
		.compile("Percentiles: 50th = (\\d+), 99th = (\\d+), 99.9th = (\\d+)");

	/**
	 * Measures the ceiling on the suite's broker, in topics of its own.
	 * @param target the suite: its broker, and in secure mode the admin's credentials,
	 * which the tools get in the file the secrets come with
	 * @param records how many records the producer benchmark sends
	 * @param hops how many round trips the latency benchmark times
	 * @return the ceiling
	 */
	static KafkaCeiling measure(LoadPlan.Target target, int records, int hops) {
		Map<String, Object> client = target.kafkaClient();
		createTopic(client, "benchmark-ceiling", 3);
		createTopic(client, "benchmark-hop", 1);
		String bootstrapServers = target.bootstrapServers();
		SecureAccess secure = target.secure();
		List<String> security = (secure != null) ? List.of("--command-config", secure.kafkaClientFile().toString())
				: List.of();
		// The tools' argument names of Kafka 4.2 and later (KIP-1147, KIP-1172).
		List<String> producer = new ArrayList<>(
				List.of("--bootstrap-server", bootstrapServers, "--topic", "benchmark-ceiling", "--num-records",
						String.valueOf(records), "--record-size", String.valueOf(RECORD_SIZE), "--throughput", "-1"));
		producer.addAll(security);
		producer.addAll(List.of("--command-property", "acks=all", "enable.idempotence=true"));
		String produced = tool("org.apache.kafka.tools.ProducerPerformance", producer);
		Matcher throughput = last(PRODUCED, produced);
		List<String> roundTrips = new ArrayList<>(
				List.of("--bootstrap-server", bootstrapServers, "--topic", "benchmark-hop", "--num-records",
						String.valueOf(hops), "--producer-acks", "all", "--record-size", String.valueOf(RECORD_SIZE)));
		roundTrips.addAll(security);
		String hop = tool("org.apache.kafka.tools.EndToEndLatency", roundTrips);
		Matcher latency = last(PERCENTILES, hop);
		return new KafkaCeiling(Long.parseLong(throughput.group(1)), Double.parseDouble(throughput.group(2)),
				Double.parseDouble(throughput.group(3)), Double.parseDouble(latency.group(1)),
				Double.parseDouble(latency.group(2)), Double.parseDouble(latency.group(3)));
	}

	private static Matcher last(Pattern pattern, String output) {
		Matcher matcher = pattern.matcher(output);
		Matcher found = null;
		while (matcher.find()) {
			found = pattern.matcher(matcher.group());
			found.find();
		}
		if (found == null) {
			throw new IllegalStateException("Unexpected output of a Kafka tool:\n" + output);
		}
		return found;
	}

	private static String tool(String mainClass, List<String> arguments) {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp",
						System.getProperty("java.class.path"), mainClass));
		command.addAll(arguments);
		return Commands.output(new ProcessBuilder(command), Duration.ofMinutes(5));
	}

	/** A topic of the measurement's own, beside the suite's, created as those are. */
	private static void createTopic(Map<String, Object> client, String name, int partitions) {
		try (Admin admin = Admin.create(client)) {
			TopicCatalogue.create(admin, List.of(new TopicCatalogue.Entry(name, partitions, Map.of())),
					Replication.fromEnvironment(System.getenv()), Duration.ofSeconds(30));
		}
	}

}
