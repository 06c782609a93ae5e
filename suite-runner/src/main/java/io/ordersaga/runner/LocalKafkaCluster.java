package io.ordersaga.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.ordersaga.events.KafkaAccess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.jspecify.annotations.Nullable;

/**
 * The Kafka the one-command run starts: one node, or a cluster of several, each node a
 * broker and a controller in one (KRaft combined mode) in its own JVM. Node {@code n}
 * (from 1) listens for clients on the first port plus {@code 2(n-1)} and for its
 * controller on the first controller port plus {@code 2(n-1)}: with the defaults, 9092
 * and 9093, then 9094 and 9095, then 9096 and 9097.
 * <p>
 * A cluster's defaults are those of production: every topic created without a replication
 * factor gets one replica per node up to three, and a write counts once two of them have
 * it ({@code min.insync.replicas}), the offsets and transaction logs included. One node
 * keeps everything at one replica. A cluster keeps each node's metadata log apart from
 * its partition data, so a node whose partition data is lost (as when a disk is replaced)
 * starts again with an empty log directory and copies its replicas back from the others.
 * <p>
 * One node keeps its data in {@code kafka} under the data directory, as it always has; a
 * cluster's nodes in {@code kafka-1}, {@code kafka-2}, ... with a cluster id of their
 * own, so the services' local state of the one is never taken for the other's
 * ({@code LocalStateGuard}).
 */
public final class LocalKafkaCluster implements AutoCloseable {

	/**
	 * The one node's cluster id (22 base64 characters), so its data is always reusable.
	 */
	static final String SINGLE_NODE_CLUSTER_ID = "b3JkZXJzYWdhLWxvY2FsMQ";

	/** A cluster's id. */
	static final String CLUSTER_ID = "b3JkZXJzYWdhLWNsdXN0Mw";

	/**
	 * The id of a single node in secure mode: data of the open mode is never taken for
	 * the secure mode's, whose storage holds the SCRAM users, nor the other way round.
	 */
	static final String SECURE_NODE_CLUSTER_ID = "b3JkZXJzYWdhLXNlY3VyZQ";

	/** A secure cluster's id. */
	static final String SECURE_CLUSTER_ID = "b3JkZXJzYWdhLXNlY2NsdQ";

	private final Path dataDir;

	private final int size;

	private final int firstPort;

	private final int firstControllerPort;

	private final Path logs;

	private final LocalKafkaBroker[] nodes;

	/**
	 * The secure mode's credentials and certificates, or {@code null} for the open mode.
	 */
	private final @Nullable KafkaSecrets secrets;

	private LocalKafkaCluster(Path dataDir, int size, int firstPort, int firstControllerPort, Path logs,
			@Nullable KafkaSecrets secrets) {
		this.dataDir = dataDir;
		this.size = size;
		this.firstPort = firstPort;
		this.firstControllerPort = firstControllerPort;
		this.logs = logs;
		this.secrets = secrets;
		this.nodes = new LocalKafkaBroker[size];
	}

	/**
	 * Starts every node and waits until all of them are in the cluster.
	 * @param dataDir the directory that holds each node's data
	 * @param size how many nodes
	 * @param firstPort the first node's client port
	 * @param firstControllerPort the first node's controller port
	 * @param logs where each node logs, to {@code kafka.log} or {@code kafka-<n>.log}
	 * @param timeout how long to wait for the cluster
	 * @return the running cluster
	 */
	public static LocalKafkaCluster start(Path dataDir, int size, int firstPort, int firstControllerPort, Path logs,
			Duration timeout) {
		return start(dataDir, size, firstPort, firstControllerPort, logs, timeout, null);
	}

	/**
	 * Starts the nodes, open or in secure mode, and waits until all of them are in the
	 * cluster.
	 * @param dataDir where the nodes keep their data
	 * @param size how many nodes
	 * @param firstPort the first node's client port
	 * @param firstControllerPort the first node's controller port
	 * @param logs where the nodes log
	 * @param timeout how long to wait
	 * @param secrets in secure mode, the certificates and credentials (TLS on every
	 * listener, SASL/SCRAM for clients, ACLs enforced); {@code null} for the open mode
	 * @return the running cluster
	 */
	public static LocalKafkaCluster start(Path dataDir, int size, int firstPort, int firstControllerPort, Path logs,
			Duration timeout, @Nullable KafkaSecrets secrets) {
		if (size < 1) {
			throw new IllegalArgumentException("A cluster has at least one node, not " + size);
		}
		LocalKafkaCluster cluster = new LocalKafkaCluster(dataDir, size, firstPort, firstControllerPort, logs, secrets);
		try {
			for (int id = 1; id <= size; id++) {
				cluster.nodes[id - 1] = cluster.launch(id);
			}
			for (LocalKafkaBroker node : cluster.nodes) {
				node.awaitReady(timeout);
			}
			cluster.awaitAllNodes(timeout);
			return cluster;
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
	}

	/**
	 * Every port a cluster of this size listens on.
	 * @param size how many nodes
	 * @param firstPort the first node's client port
	 * @param firstControllerPort the first node's controller port
	 * @return each port, with what it is for
	 */
	static Map<Integer, String> ports(int size, int firstPort, int firstControllerPort) {
		Map<Integer, String> ports = new LinkedHashMap<>();
		for (int id = 1; id <= size; id++) {
			String node = (size == 1) ? "Kafka" : "Kafka node " + id;
			ports.put(nodePort(firstPort, id), node);
			ports.put(nodePort(firstControllerPort, id), node + "'s controller");
		}
		if (ports.size() < 2 * size) {
			throw new IllegalStateException("KAFKA_PORT " + firstPort + " and KAFKA_CONTROLLER_PORT "
					+ firstControllerPort + " give " + size + " Kafka nodes overlapping ports: node n listens on "
					+ "KAFKA_PORT + 2(n - 1) and KAFKA_CONTROLLER_PORT + 2(n - 1), so the two must differ by an odd "
					+ "number or by more than " + (2 * size - 2) + ".");
		}
		return ports;
	}

	/**
	 * The address of every node, for clients.
	 * @return {@code localhost:<port>,...}
	 */
	public String bootstrapServers() {
		return bootstrapServers(this.size, this.firstPort);
	}

	/**
	 * The address of every node of a cluster, for clients.
	 * @param size how many nodes
	 * @param firstPort the first node's client port
	 * @return {@code localhost:<port>,...}
	 */
	static String bootstrapServers(int size, int firstPort) {
		return IntStream.rangeClosed(1, size)
			.mapToObj((id) -> "localhost:" + nodePort(firstPort, id))
			.collect(Collectors.joining(","));
	}

	/**
	 * Where a node keeps its data: {@code kafka} for a single node, as it always has,
	 * {@code kafka-<id>} for a cluster's.
	 * @param dataDir the directory that holds each node's data
	 * @param size how many nodes
	 * @param id the node's id, from 1
	 * @return the node's directory
	 */
	static Path nodeDir(Path dataDir, int size, int id) {
		return nodeDir(dataDir, size, id, false);
	}

	/**
	 * Where a node keeps its data: {@code kafka} for a single node, {@code kafka-<id>}
	 * for a cluster's, each followed by {@code -secure} in secure mode.
	 * @param dataDir the suite's data directory
	 * @param size how many nodes the cluster has
	 * @param id the node's id, from 1
	 * @param secure whether in secure mode
	 * @return the node's directory
	 */
	static Path nodeDir(Path dataDir, int size, int id, boolean secure) {
		String name = (size == 1) ? "kafka" : name(id);
		return dataDir.resolve(secure ? name + "-secure" : name);
	}

	/**
	 * How a client of the admin's connects: the bootstrap servers, and in secure mode the
	 * admin's credentials.
	 * @return the client's settings, a copy to add to
	 */
	public Map<String, Object> adminClientProperties() {
		Map<String, Object> properties = new LinkedHashMap<>(securityProperties());
		properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
		return properties;
	}

	private Map<String, Object> securityProperties() {
		return (this.secrets != null) ? this.secrets.clientProperties(KafkaSecrets.ADMIN) : Map.of();
	}

	/**
	 * How many nodes the cluster has.
	 * @return the count
	 */
	public int size() {
		return this.size;
	}

	/**
	 * A node, as last started.
	 * @param id its id, from 1
	 * @return the node
	 */
	public synchronized LocalKafkaBroker node(int id) {
		return this.nodes[id - 1];
	}

	/**
	 * The name of a node in the run's output and logs.
	 * @param id its id, from 1
	 * @return {@code kafka-<id>}
	 */
	static String name(int id) {
		return "kafka-" + id;
	}

	/**
	 * Where a node keeps its partition data; deleting it is what losing the node's disk
	 * does to its partitions.
	 * @param id its id, from 1
	 * @return the log directory
	 */
	public Path logDir(int id) {
		return nodeDir(id).resolve("log");
	}

	/**
	 * Starts a node that stopped, on the data it left (a log directory that is gone is
	 * formatted again, and the node copies its replicas back from the others), and waits
	 * until it answers.
	 * @param id its id, from 1
	 * @param timeout how long to wait for it
	 * @return the node
	 */
	public LocalKafkaBroker restart(int id, Duration timeout) {
		LocalKafkaBroker node;
		synchronized (this) {
			if (this.nodes[id - 1].process().isAlive()) {
				throw new IllegalStateException(name(id) + " is running");
			}
			node = launch(id);
			this.nodes[id - 1] = node;
		}
		node.awaitReady(timeout);
		return node;
	}

	/**
	 * Stops every node at once, as SIGTERM does, and forcibly those still running after
	 * 30 seconds. One at a time, the last node left waited for a quorum that had already
	 * stopped, for the whole 30 seconds.
	 */
	@Override
	public synchronized void close() {
		List<Process> running = Arrays.stream(this.nodes)
			.filter(Objects::nonNull)
			.map(LocalKafkaBroker::process)
			.toList();
		running.forEach(Process::destroy);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		for (Process process : running) {
			try {
				if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
					ChildProcesses.kill(process);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				ChildProcesses.kill(process);
			}
		}
	}

	/** Node {@code n}'s port: the first node's plus {@code 2(n-1)}. */
	private static int nodePort(int firstPort, int id) {
		return firstPort + 2 * (id - 1);
	}

	private int port(int id) {
		return nodePort(this.firstPort, id);
	}

	private int controllerPort(int id) {
		return nodePort(this.firstControllerPort, id);
	}

	private Path nodeDir(int id) {
		return nodeDir(this.dataDir, this.size, id, this.secrets != null);
	}

	private LocalKafkaBroker launch(int id) {
		Path log = this.logs.resolve(nodeDir(id).getFileName() + ".log");
		String clusterId = (this.secrets == null) ? ((this.size == 1) ? SINGLE_NODE_CLUSTER_ID : CLUSTER_ID)
				: ((this.size == 1) ? SECURE_NODE_CLUSTER_ID : SECURE_CLUSTER_ID);
		List<String> format = (this.secrets != null) ? this.secrets.formatArguments(principals()) : List.of();
		return LocalKafkaBroker.launch(nodeDir(id), serverProperties(id), clusterId, "localhost:" + port(id), log,
				securityProperties(), format);
	}

	/** The admin and every principal of {@link KafkaAccess}. */
	private static List<String> principals() {
		List<String> principals = new ArrayList<>(List.of(KafkaSecrets.ADMIN));
		principals.addAll(KafkaAccess.principals());
		return principals;
	}

	private void awaitAllNodes(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		Map<String, Object> config = adminClientProperties();
		config.putAll(Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000,
				AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000));
		try (Admin admin = Admin.create(config)) {
			int seen = 0;
			while (System.nanoTime() < deadline) {
				try {
					seen = admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).size();
					if (seen == this.size) {
						return;
					}
				}
				catch (Exception ex) {
					// not all up yet
				}
			}
			throw new IllegalStateException("Only " + seen + " of " + this.size
					+ " Kafka nodes joined the cluster within " + timeout + "; see the logs in " + this.logs);
		}
	}

	private String serverProperties(int id) {
		String voters = IntStream.rangeClosed(1, this.size)
			.mapToObj((voter) -> voter + "@localhost:" + controllerPort(voter))
			.collect(Collectors.joining(","));
		int replicas = Math.min(this.size, 3);
		int minInsync = Math.max(1, replicas - 1);
		List<String> lines = new ArrayList<>(List.of(
				"# Written by suite-runner on every start: node " + id + " of " + this.size
						+ ", broker and controller in one.",
				"process.roles=broker,controller", "node.id=" + id, "controller.quorum.voters=" + voters,
				"log.dirs=" + logDir(id).toAbsolutePath(), "num.partitions=3", "auto.create.topics.enable=false",
				"default.replication.factor=" + replicas, "min.insync.replicas=" + minInsync,
				"offsets.topic.replication.factor=" + replicas, "transaction.state.log.replication.factor=" + replicas,
				"transaction.state.log.min.isr=" + minInsync,
				"share.coordinator.state.topic.replication.factor=" + replicas,
				"share.coordinator.state.topic.min.isr=" + minInsync, "group.initial.rebalance.delay.ms=0"));
		if (this.secrets != null) {
			lines.addAll(this.secrets.brokerProperties(port(id), controllerPort(id)));
		}
		else {
			lines.addAll(List.of(
					"listeners=PLAINTEXT://localhost:" + port(id) + ",CONTROLLER://localhost:" + controllerPort(id),
					"advertised.listeners=PLAINTEXT://localhost:" + port(id), "controller.listener.names=CONTROLLER",
					"listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"));
		}
		if (this.size > 1) {
			lines.add("metadata.log.dir=" + nodeDir(id).resolve("metadata").toAbsolutePath());
		}
		return String.join("\n", lines) + "\n";
	}

}
