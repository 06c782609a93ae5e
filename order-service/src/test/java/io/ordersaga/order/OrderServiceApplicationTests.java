package io.ordersaga.order;

import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.ordersaga.events.Topic;
import io.ordersaga.kafka.test.Actuator;
import io.ordersaga.support.streams.CommitPace;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

@OrderServiceIntegrationTest
class OrderServiceApplicationTests {

	@Autowired
	private RestTestClient http;

	@LocalManagementPort
	private int managementPort;

	/** Kafka Streams starts once the cluster has told its id: healthy a moment after. */
	@Test
	void reportsItselfKafkaAndItsStreamsAsHealthy() {
		await().atMost(Duration.ofMinutes(1))
			.untilAsserted(() -> management().get()
				.uri("/actuator/health")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("UP")
				.jsonPath("$.components.kafka.status")
				.isEqualTo("UP")
				.jsonPath("$.components.kafkaStreams.status")
				.isEqualTo("UP")
				.jsonPath("$.components.readModels.components.orderProjection.status")
				.isEqualTo("UP")
				// Only spares placements a wait: its start or failure takes nothing out
				// of
				// service.
				.jsonPath("$.components.readModels.components.firstPlacements")
				.doesNotExist());
	}

	@Autowired
	private WebServerApplicationContext context;

	/**
	 * Under ./benchmark's 1,000 orders/s the generator held about 19,000 requests open,
	 * Tomcat accepted up to its default 8,192 connections, and their buffers ran the 256
	 * MB heap out of memory. Beyond the limit a client now waits to connect instead.
	 */
	@Test
	void acceptsNoMoreConnectionsThanItsHeapCanServe() {
		TomcatWebServer server = (TomcatWebServer) this.context.getWebServer();
		assertThat(server.getTomcat().getConnector().getProperty("maxConnections")).isEqualTo(1024);
	}

	/**
	 * While Tomcat does not accept for a moment (a collection, a busy core), new
	 * connections wait in the kernel's queue of the listening socket. With Tomcat's
	 * default of 100 the queue overflowed under ./benchmark's open model at 1,600
	 * orders/s, where every 503 closes its connection and the next order opens one (345
	 * times in 30 s, {@code nstat TcpExtListenOverflows}); each dropped connection was
	 * tried again a second later, so refusals and accepted orders alike took a second at
	 * their p99. Here Tomcat stops accepting while 300 clients connect; each must get in
	 * at once, and be answered once Tomcat accepts again.
	 */
	@Test
	void keepsABurstOfNewConnectionsWaitingWhileItIsNotAccepting() throws Exception {
		TomcatWebServer server = (TomcatWebServer) this.context.getWebServer();
		int port = server.getPort();
		List<Socket> clients = new ArrayList<>();
		server.getTomcat().getConnector().pause();
		try {
			for (int i = 0; i < 300; i++) {
				Socket client = new Socket();
				clients.add(client);
				// The kernel answers a connection it has room to queue within a
				// millisecond; one it drops is tried again only after a second.
				client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
			}
		}
		finally {
			server.getTomcat().getConnector().resume();
		}
		try {
			for (Socket client : clients) {
				client.setSoTimeout(30_000);
				client.getOutputStream()
					.write("GET /livez HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
						.getBytes(StandardCharsets.US_ASCII));
			}
			for (Socket client : clients) {
				String status = new String(client.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
				assertThat(status).isEqualTo("HTTP/1.1 200");
			}
		}
		finally {
			for (Socket client : clients) {
				client.close();
			}
		}
	}

	/**
	 * Tomcat's default 200 threads cost resident memory that a waiting request does not
	 * need.
	 */
	@Test
	void servesRequestsWith80ThreadsAtMost() {
		TomcatWebServer server = (TomcatWebServer) this.context.getWebServer();
		assertThat(server.getTomcat().getConnector().getProperty("maxThreads")).isEqualTo(80);
	}

	@Autowired
	private StreamsBuilderFactoryBean streams;

	/**
	 * Each hop of the saga waits for its transaction to commit: the commit interval is
	 * most of the saga's latency, and it is shortened without giving up exactly-once.
	 * Unless told to ({@link CommitPace}), it is kept however short of CPU the machine
	 * is.
	 */
	@Test
	void commitsItsExactlyOnceTransactionsEvery25MillisecondsEvenWhenShortOfCpu() {
		assertThat(this.streams.getStreamsConfiguration()).containsEntry("processing.guarantee", "exactly_once_v2")
			.containsEntry("commit.interval.ms", "25")
			.doesNotContainKey(CommitPace.QUIET_INTERVAL_CONFIG);
	}

	@Autowired
	private KafkaProperties kafka;

	/**
	 * Kafka Streams commits between two polls: a thread that waits in a poll longer than
	 * the commit interval holds back what it has processed, which one order at a time
	 * meets at every hop. A fetch, though, answers as soon as a commit makes records
	 * readable, so its wait is left at Kafka's default; 10 ms only made every idle
	 * consumer ask the broker a hundred times a second.
	 */
	@Test
	void pollsNoLongerThanItCommitsAndLetsTheBrokerAnswerFetchesWhenThereIsData() {
		assertThat(this.streams.getStreamsConfiguration()).containsEntry("poll.ms", "25")
			.doesNotContainKey("fetch.max.wait.ms");
		assertThat(this.kafka.getConsumer().getFetchMaxWait()).isNull();
	}

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private Environment environment;

	/**
	 * The API's port answers the probes, UP or DOWN and nothing more; the health's
	 * details and the metrics are on Actuator's port, bound to this machine only.
	 */
	@Test
	void showsHealthDetailsAndMetricsOnlyOnActuatorsPortOnThisMachine() throws Exception {
		await().atMost(Duration.ofMinutes(1))
			.untilAsserted(() -> this.http.get()
				.uri("/readyz")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.json("{\"status\":\"UP\"}", JsonCompareMode.STRICT));
		for (String endpoint : List.of("/actuator/health", "/actuator/prometheus", "/actuator/metrics",
				"/actuator/info")) {
			this.http.get().uri(endpoint).exchange().expectStatus().isNotFound();
		}
		management().get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
		assertThat(this.managementPort).isNotEqualTo(this.environment.getProperty("local.server.port", Integer.class));
		assertThat(this.environment.getProperty("management.server.address")).isEqualTo("127.0.0.1");
		for (InetAddress address : NetworkInterface.networkInterfaces()
			.flatMap(NetworkInterface::inetAddresses)
			.filter((address) -> address instanceof Inet4Address && !address.isLoopbackAddress())
			.toList()) {
			try (Socket socket = new Socket()) {
				assertThatExceptionOfType(ConnectException.class).as(address.toString())
					.isThrownBy(() -> socket.connect(new InetSocketAddress(address, this.managementPort), 2000));
			}
		}
	}

	private RestTestClient management() {
		return Actuator.client(this.managementPort);
	}

	/**
	 * Every request and every record sent is observed, with a timer and a span. A
	 * long-task timer started and stopped besides, baggage, and B3 headers looked for on
	 * every record were costs on the saga's path that nothing here uses.
	 */
	@Test
	void timesWithoutLongTaskTimersAndPropagatesW3cTraceContextOnly() {
		this.http.get().uri("/livez").exchange().expectStatus().isOk();
		await().untilAsserted(() -> assertThat(this.meters.find("http.server.requests").timer()).isNotNull());
		assertThat(this.meters.find("http.server.requests.active").longTaskTimer()).isNull();
		assertThat(this.environment.getProperty("management.tracing.propagation.type")).isEqualTo("W3C");
		assertThat(this.environment.getProperty("management.tracing.baggage.enabled", Boolean.class)).isFalse();
	}

	@Test
	void publishesItsApiAsOpenApiWithASwaggerUi() {
		this.http.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.paths['/orders'].post")
			.exists();
		this.http.get().uri("/swagger-ui/index.html").exchange().expectStatus().isOk();
	}

	@Autowired
	private KafkaAdmin kafkaAdmin;

	/**
	 * The system of record keeps every record; a topic created before, with the broker's
	 * default of 7 days, is given the setting when the service makes sure of its topics.
	 */
	@Test
	void theSagasTopicsKeepEveryRecordAlsoWhenTheyExistedBefore() throws Exception {
		try (Admin admin = Admin.create(this.kafkaAdmin.getConfigurationProperties())) {
			ConfigResource orders = new ConfigResource(ConfigResource.Type.TOPIC, Topic.ORDERS.topicName());
			admin
				.incrementalAlterConfigs(
						Map.of(orders,
								List.of(new AlterConfigOp(new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, "604800000"),
										AlterConfigOp.OpType.SET))))
				.all()
				.get(30, TimeUnit.SECONDS);
			// The controller has the change; the broker that answers describeConfigs
			// applies it a moment later. Until it does, the topic looks as it should.
			await().atMost(Duration.ofSeconds(30)).until(() -> "604800000".equals(retentionOf(admin, orders)));

			this.kafkaAdmin.initialize();

			for (Topic topic : Topic.values()) {
				ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.topicName());
				// Again a moment after the controller has the change.
				await().atMost(Duration.ofSeconds(30))
					.untilAsserted(
							() -> assertThat(retentionOf(admin, resource)).as(topic.topicName()).isEqualTo("-1"));
			}
		}
	}

	private static String retentionOf(Admin admin, ConfigResource topic) throws Exception {
		return admin.describeConfigs(List.of(topic))
			.all()
			.get(30, TimeUnit.SECONDS)
			.get(topic)
			.get(TopicConfig.RETENTION_MS_CONFIG)
			.value();
	}

}
