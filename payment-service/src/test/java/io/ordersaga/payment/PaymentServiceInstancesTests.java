package io.ordersaga.payment;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.kafka.test.TestKafkaBroker;
import io.ordersaga.payment.account.Account;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * payment-service as separate instances on one broker: no overdraft, and balances survive
 * restarts. These tests run in a JVM of their own (see the build), so that no other
 * instance is in their consumer group.
 */
class PaymentServiceInstancesTests {

	@TempDir
	Path stateDirs;

	@Test
	void fiftyConcurrentOrdersNeverOverdrawAnAccountWithTwoInstancesRunning() throws Exception {
		String customer = AccountIntegrationTests.newCustomer();
		try (ConfigurableApplicationContext one = start("one"); ConfigurableApplicationContext two = start("two")) {
			awaitActiveTasks(one, two);
			credit(client(one), customer, "1000.00");
			List<EventEnvelope<OrderPlaced>> orders = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				orders.add(AccountIntegrationTests.order(customer, "30.00"));
			}
			try (ExecutorService senders = Executors.newFixedThreadPool(8)) {
				orders.forEach((order) -> senders.submit(() -> AccountIntegrationTests.publish(order)));
			}

			List<String> outcomes = AccountIntegrationTests.paymentsOf(orders);
			assertThat(outcomes).hasSize(50);
			assertThat(outcomes).filteredOn("PaymentAuthorized"::equals).hasSize(33);
			assertThat(outcomes).filteredOn("PaymentDeclined"::equals).hasSize(17);
			await().untilAsserted(() -> {
				assertThat(account(client(one), customer).balance()).isEqualByComparingTo("10.00");
				assertThat(account(client(two), customer).balance()).isEqualByComparingTo("10.00");
			});
		}
	}

	@Test
	void aRestartKeepsBalancesAndNeverReopensAnAccount() {
		String customer = AccountIntegrationTests.newCustomer();
		try (ConfigurableApplicationContext first = start("first")) {
			credit(client(first), customer, "100.00");
			EventEnvelope<OrderPlaced> order = AccountIntegrationTests.order(customer, "40.00");
			AccountIntegrationTests.publish(order);
			await().until(() -> account(client(first), customer).balance().compareTo(new BigDecimal("60.00")) == 0);
		}
		// A fresh state directory: accounts come back from Kafka, and the demo set-up
		// runs again.
		try (ConfigurableApplicationContext second = start("second")) {
			await().untilAsserted(() -> {
				assertThat(account(client(second), customer).balance()).isEqualByComparingTo("60.00");
				assertThat(account(client(second), "alice").currency().getCurrencyCode()).isEqualTo("EUR");
			});
			// What the REST API shows comes from the accounts topic; charging uses the
			// account store, restored from its changelog. Without it, the customer would
			// be
			// unknown and the order declined.
			EventEnvelope<OrderPlaced> order = AccountIntegrationTests.order(customer, "50.00");
			AccountIntegrationTests.publish(order);
			assertThat(AccountIntegrationTests.paymentsOf(order.orderId(), 1)).containsExactly("PaymentAuthorized");
			await().untilAsserted(
					() -> assertThat(account(client(second), customer).balance()).isEqualByComparingTo("10.00"));
		}
	}

	/**
	 * As someone starts a second instance by hand ({@code java -jar payment-service.jar
	 * --server.port=8092}): no state directory given, so each takes the default, under
	 * the temporary directory (here the test's own).
	 */
	@Test
	void twoInstancesStartedByHandWithTheDefaultStateDirectoryBothRun() throws Exception {
		try (ConfigurableApplicationContext one = startByHand(freePort());
				ConfigurableApplicationContext two = startByHand(freePort())) {
			awaitActiveTasks(one, two);
		}
		try (Stream<Path> directories = Files.list(this.stateDirs.resolve("order-saga"))) {
			assertThat(directories.map((directory) -> directory.getFileName().toString())).hasSize(2)
				.allMatch((name) -> name.startsWith("payment-service-"));
		}
	}

	/**
	 * As after {@code docker compose down -v} with a service run from an IDE: the same
	 * state directory, and a cluster that is not the one its local state came from.
	 */
	@Test
	void localStateOfAnotherClusterIsWipedAndRebuiltFromThisOne() {
		String customer = AccountIntegrationTests.newCustomer();
		Path stateDir = this.stateDirs.resolve("kept");
		try (TestKafkaBroker.RunningBroker first = TestKafkaBroker.startSeparate()) {
			try (ConfigurableApplicationContext before = start(first, stateDir)) {
				credit(client(before), customer, "100.00");
			}
		}
		try (TestKafkaBroker.RunningBroker second = TestKafkaBroker.startSeparate();
				ConfigurableApplicationContext after = start(second, stateDir)) {
			RestClient http = client(after);
			await().atMost(Duration.ofMinutes(1)).ignoreExceptions().untilAsserted(() -> {
				assertThat(health(after)).isEqualTo(200);
				assertThat(account(http, "alice").balance()).isEqualByComparingTo("1000.00");
			});
			int status = http.get()
				.uri("/accounts/{id}", customer)
				.exchange((request, response) -> response.getStatusCode().value());
			assertThat(status).isEqualTo(404);
		}
	}

	/**
	 * A topic the global store reads deleted and created again on the same cluster: the
	 * global thread dies on positions past the new log's end, which fails Kafka Streams
	 * for good; the service starts it again with its local state wiped.
	 */
	@Test
	void kafkaStreamsFailedForGoodIsStartedAgainWithItsLocalStateWiped() throws Exception {
		String customer = AccountIntegrationTests.newCustomer();
		Path stateDir = this.stateDirs.resolve("kept-on-reset");
		try (TestKafkaBroker.RunningBroker broker = TestKafkaBroker.startSeparate()) {
			try (ConfigurableApplicationContext before = start(broker, stateDir)) {
				credit(client(before), customer, "100.00");
			}
			try (Admin admin = Admin
				.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
				admin.deleteTopics(List.of("payment-accounts")).all().get(30, TimeUnit.SECONDS);
				await().until(() -> !admin.listTopics().names().get().contains("payment-accounts"));
			}
			try (ConfigurableApplicationContext after = start(broker, stateDir)) {
				RestClient http = client(after);
				StreamsBuilderFactoryBean streams = after.getBean(StreamsBuilderFactoryBean.class);
				await().atMost(Duration.ofMinutes(1)).ignoreExceptions().untilAsserted(() -> {
					assertThat(health(after)).isEqualTo(200);
					assertThat(streams.getKafkaStreams().state()).isEqualTo(KafkaStreams.State.RUNNING);
				});
			}
		}
	}

	private static ConfigurableApplicationContext start(TestKafkaBroker.RunningBroker broker, Path stateDir) {
		TestKafkaBroker.createTopics(broker.bootstrapServers(), 3, "orders", "payments");
		return new SpringApplicationBuilder(PaymentServiceApplication.class).run("--server.port=0",
				"--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
				"--spring.kafka.streams.state-dir=" + stateDir);
	}

	/** The health on Actuator's own port. */
	private static int health(ConfigurableApplicationContext context) {
		String port = context.getEnvironment().getProperty("local.management.port");
		return RestClient.create("http://127.0.0.1:" + port)
			.get()
			.uri("/actuator/health")
			.exchange((request, response) -> response.getStatusCode().value());
	}

	private ConfigurableApplicationContext startByHand(int port) {
		return new SpringApplicationBuilder(PaymentServiceApplication.class).run("--server.port=" + port,
				"--spring.kafka.bootstrap-servers=" + TestKafkaBroker.bootstrapServers(),
				"--java.io.tmpdir=" + this.stateDirs);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/** Waits until each instance runs some of the charging tasks. */
	private static void awaitActiveTasks(ConfigurableApplicationContext... instances) {
		await().atMost(Duration.ofMinutes(1)).until(() -> Arrays.stream(instances).allMatch((instance) -> {
			KafkaStreams streams = instance.getBean(StreamsBuilderFactoryBean.class).getKafkaStreams();
			return streams != null && streams.state() == KafkaStreams.State.RUNNING
					&& streams.metadataForLocalThreads().stream().anyMatch((thread) -> !thread.activeTasks().isEmpty());
		}));
	}

	private ConfigurableApplicationContext start(String name) {
		return new SpringApplicationBuilder(PaymentServiceApplication.class).run("--server.port=0",
				"--spring.kafka.bootstrap-servers=" + TestKafkaBroker.bootstrapServers(),
				"--spring.kafka.streams.state-dir=" + this.stateDirs.resolve(name + "-" + UUID.randomUUID()));
	}

	private static RestClient client(ConfigurableApplicationContext context) {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		return RestClient.builder().baseUrl("http://localhost:" + port).build();
	}

	private static void credit(RestClient http, String customer, String amount) {
		await().ignoreExceptions()
			.until(() -> http.post()
				.uri("/accounts/{id}/credits", customer)
				.contentType(MediaType.APPLICATION_JSON)
				// Retried until the instance is ready; the key makes sure it credits
				// once.
				.header("Idempotency-Key", "opening-balance")
				.body("{\"amount\":" + amount + "}")
				.retrieve()
				.toBodilessEntity()
				.getStatusCode()
				.is2xxSuccessful());
		await().ignoreExceptions().until(() -> account(http, customer).balance().signum() > 0);
	}

	private static Account account(RestClient http, String customer) {
		return http.get().uri("/accounts/{id}", customer).retrieve().body(Account.class);
	}

}
