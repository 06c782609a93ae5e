package io.ordersaga.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.NotificationSent;
import io.ordersaga.events.OrderCancelled;
import io.ordersaga.events.OrderConfirmed;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.PaymentAuthorized;
import io.ordersaga.events.PaymentRefunded;
import io.ordersaga.events.Topic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The suite end to end, started as a user starts it ({@code ./run --instances 2}: a Kafka
 * broker from the Kafka jars and two instances of each of the three services from their
 * built jars, each in its own process) and used as a user uses it: over HTTP, each
 * request to order-service going to its instances in turn, and with a non-Java Kafka
 * client on its topics. The tests share the running suite; each uses customers of its
 * own. The crash test, which kills services, and the stop test come last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {

	/** Kept after the run (./run --clean empties it first), so a failure can be read. */
	private static final Path WORK = Path.of("target", "end-to-end").toAbsolutePath();

	/** Short, so that a test can wait for a saga to time out. */
	private static final Duration PAYMENT_TIMEOUT = Duration.ofSeconds(10);

	private RunScript run;

	private SuiteClient client;

	private Kcat kcat;

	private OtlpReceiver spans;

	/** An order confirmed early on, looked for again after a restart. */
	private UUID remembered;

	private String rememberedCustomer;

	@BeforeAll
	void startTheSuite() {
		// Spans go to a receiver of the test's, but only those of a trace its caller
		// samples: the rest of the run records none, as without a receiver.
		this.spans = new OtlpReceiver();
		this.run = RunScript.start(Path.of("..").toAbsolutePath().normalize(), WORK.resolve("run-data"),
				Map.of("PAYMENT_TIMEOUT", PAYMENT_TIMEOUT.toSeconds() + "s", "PAYMENT_SILENCE",
						PAYMENT_TIMEOUT.toSeconds() + "s", "OTEL_EXPORTER_OTLP_ENDPOINT", this.spans.endpoint(),
						"MANAGEMENT_TRACING_SAMPLING_PROBABILITY", "0.0"),
				"--instances", "2", "--prometheus");
		this.client = new SuiteClient(this.run);
		this.kcat = new Kcat(this.run.bootstrapServers());
	}

	@AfterAll
	void stopTheSuite() {
		if (this.run != null) {
			this.run.close();
		}
		if (this.spans != null) {
			this.spans.close();
		}
	}

	/**
	 * The build runs the integration tests' suites with the options of
	 * {@code RUN_JVM_OPTIONS} (C1 only, see the parent pom): the Kafka node and every
	 * service instance got them.
	 */
	@Test
	@Order(1)
	void everyJvmOfTheSuiteRunsWithTheOptionsOfRunJvmOptions() {
		List<String> options = RunJvmOptions.current();
		assertThat(options).as("RUN_JVM_OPTIONS, which the build sets for the integration tests").isNotEmpty();
		List<ProcessHandle> jvms = new ArrayList<>(List.of(this.run.kafkaProcess(1)));
		for (String service : List.of("order-service", "payment-service", "notification-service")) {
			jvms.add(this.run.serviceProcess(service));
			jvms.add(this.run.serviceProcess(service + "-2"));
		}
		assertThat(jvms)
			.allSatisfy((jvm) -> assertThat(jvm.info().commandLine().orElse("")).contains(String.join(" ", options)));
	}

	/**
	 * {@code ./run} opens every port on this machine's loopback address only: the APIs,
	 * Actuator's ports and Kafka answer on 127.0.0.1 and refuse a connection to any other
	 * address of the machine.
	 */
	@Test
	@Order(1)
	void everyPortOfTheSuiteIsReachableFromThisMachineOnly() throws IOException {
		List<Integer> ports = new ArrayList<>();
		for (String url : List.of(this.run.orderService(), this.run.orderServices().get(1), this.run.paymentService(),
				this.run.notificationService(), this.run.managementUrl("order-service"),
				this.run.managementUrl(new ServiceInstance("order-service", 2)),
				this.run.managementUrl("payment-service"), this.run.managementUrl("notification-service"),
				"kafka://" + this.run.bootstrapServers())) {
			ports.add(URI.create(url).getPort());
		}
		List<InetAddress> others = NetworkInterface.networkInterfaces()
			.flatMap(NetworkInterface::inetAddresses)
			.filter((address) -> address instanceof Inet4Address && !address.isLoopbackAddress())
			.toList();
		assertThat(others).as("another address of this machine to try").isNotEmpty();
		for (int port : ports) {
			try (Socket local = new Socket()) {
				local.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 2000);
			}
			for (InetAddress address : others) {
				try (Socket outside = new Socket()) {
					assertThatExceptionOfType(ConnectException.class).as(address + ":" + port)
						.isThrownBy(() -> outside.connect(new InetSocketAddress(address, port), 2000));
				}
			}
		}
		assertThat(this.run.output()).anyMatch((line) -> line.startsWith("Order saga ready")
				&& line.contains("Actuator (health, metrics) on " + this.run.managementUrl("order-service")));
	}

	@Test
	@Order(1)
	void everyOutcomeEndsWithItsBalanceAndItsNotification() {
		String customer = customer("outcomes");
		this.client.credit(customer, "100.00");

		UUID confirmed = this.client.placeAccepted(customer, "EUR", "30.00");
		this.client.awaitOutcome(customer, confirmed, "CONFIRMED", null, "Your order is confirmed",
				"payment of 30.00 EUR");
		UUID tooExpensive = this.client.placeAccepted(customer, "EUR", "500.00");
		this.client.awaitOutcome(customer, tooExpensive, "CANCELLED", "INSUFFICIENT_FUNDS", "Your order was cancelled",
				"your account balance did not cover 500.00 EUR");
		UUID otherCurrency = this.client.placeAccepted(customer, "USD", "5.00");
		this.client.awaitOutcome(customer, otherCurrency, "CANCELLED", "CURRENCY_MISMATCH", "Your order was cancelled",
				"kept in another currency than USD");
		String stranger = customer("stranger");
		UUID unknown = this.client.placeAccepted(stranger, "EUR", "5.00");
		this.client.awaitOutcome(stranger, unknown, "CANCELLED", "UNKNOWN_CUSTOMER", "Your order was cancelled",
				"could not find a payment account");
		assertThat(balance(customer)).isEqualByComparingTo("70.00");
		this.remembered = confirmed;
		this.rememberedCustomer = customer;
	}

	@Test
	@Order(2)
	void anOrderWhosePaymentComesTooLateIsCancelledAndItsLateChargeRefunded() throws Exception {
		String customer = customer("late");
		this.client.credit(customer, "100.00");
		// Both instances: a frozen one's partitions would move to the other.
		List<ProcessHandle> payments = List.of(this.run.serviceProcess("payment-service"),
				this.run.serviceProcess("payment-service-2"));
		for (ProcessHandle instance : payments) {
			Signals.send(instance, "STOP");
		}
		UUID orderId;
		try {
			orderId = this.client.placeAccepted(customer, "EUR", "25.00");
			this.client.awaitOutcome(customer, orderId, "CANCELLED", "PAYMENT_TIMEOUT", "Your order was cancelled",
					"did not receive your payment in time");
		}
		finally {
			for (ProcessHandle instance : payments) {
				Signals.send(instance, "CONT");
			}
		}
		// payment-service, back, charges the order it had not seen and then refunds it
		// because it was cancelled.
		UUID refund = await().atMost(SuiteClient.OUTCOME_TIMEOUT)
			.until(() -> eventsOf(Topic.PAYMENTS, orderId).stream()
				.filter((event) -> event.data() instanceof PaymentRefunded)
				.map(EventEnvelope::id)
				.findFirst(), Optional::isPresent)
			.orElseThrow();
		JsonNode notification = this.client.awaitNotification(customer, refund);
		assertThat(notification.path("subject").asString()).isEqualTo("Your payment was refunded");
		assertThat(notification.path("text").asString()).contains("We refunded 25.00 EUR");
		await().atMost(SuiteClient.OUTCOME_TIMEOUT)
			.untilAsserted(() -> assertThat(balance(customer)).isEqualByComparingTo("100.00"));
	}

	@Test
	@Order(3)
	void aClientInAnotherLanguageReadsTheSameOrderOnEveryTopicAndOneTraceFollowsIt() {
		String customer = customer("kcat");
		this.client.credit(customer, "50.00");
		UUID orderId = this.client.placeAccepted(customer, "EUR", "12.50");
		JsonNode order = this.client.awaitFinal(orderId);
		assertThat(order.path("status").asString()).isEqualTo("CONFIRMED");
		await().atMost(SuiteClient.OUTCOME_TIMEOUT).until(() -> !kcatRecords(Topic.NOTIFICATIONS, orderId).isEmpty());

		List<Kcat.Record> records = new ArrayList<>();
		records.addAll(kcatRecords(Topic.ORDERS, orderId));
		records.addAll(kcatRecords(Topic.PAYMENTS, orderId));
		records.addAll(kcatRecords(Topic.NOTIFICATIONS, orderId));
		List<JsonNode> events = records.stream().map((record) -> SuiteClient.parse(record.value())).toList();
		assertThat(events).extracting((event) -> event.path("type").asString())
			.containsExactly("OrderPlaced", "OrderConfirmed", "PaymentAuthorized", "NotificationSent");
		assertThat(events).allSatisfy((event) -> {
			assertThat(event.path("specversion").asString()).isEqualTo("1.0");
			assertThat(event.path("subject").asString()).isEqualTo(orderId.toString());
			assertThat(event.path("data").path("customerId").asString()).isEqualTo(customer);
		});
		assertThat(events.get(0).path("data").path("total").asString()).isEqualTo("12.50");
		assertThat(events.get(2).path("data").path("amount").asString()).isEqualTo("12.50");
		assertThat(events.get(3).path("data").path("sourceEventId").asString())
			.isEqualTo(events.get(1).path("id").asString());

		// order-service wrote OrderPlaced and OrderConfirmed, payment-service
		// PaymentAuthorized, notification-service NotificationSent: one trace throughout.
		assertThat(events).extracting((event) -> event.path("source").asString())
			.containsExactly("/order-service", "/order-service", "/payment-service", "/notification-service");
		List<String[]> traceparents = records.stream()
			.map((record) -> record.headers().getOrDefault("traceparent", "none-none-none-none").split("-"))
			.toList();
		assertThat(traceparents).extracting((traceparent) -> traceparent[1]).containsOnly(traceparents.get(0)[1]);
		assertThat(traceparents.get(0)[1]).matches("[0-9a-f]{32}");
		// Kafka Streams copies a record's headers to what it writes; a span of each
		// service's own shows that each service took part in the trace.
		assertThat(traceparents).extracting((traceparent) -> traceparent[2]).doesNotHaveDuplicates();

		// The run command's live view showed the order going by.
		String shortId = orderId.toString().substring(0, 8);
		this.run.awaitLine((line) -> line.matches(".*notifications +" + shortId + " NotificationSent +" + customer
				+ " IN_APP \"Your order is confirmed\""), SuiteClient.OUTCOME_TIMEOUT);
		assertThat(this.run.output()).anyMatch((line) -> line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  orders +"
				+ shortId + " OrderPlaced +" + customer + " 12\\.50 EUR \\(1 item\\)"));
	}

	/**
	 * A caller that samples its trace gets it from every service: the order's
	 * {@code POST}, its events and the notification are spans of one trace, exported by
	 * order-service, payment-service and notification-service over OTLP.
	 */
	@Test
	@Order(2)
	void oneOrderIsOneTraceWithASpanFromEachServiceAtTheReceiver() {
		String customer = customer("traced");
		this.client.credit(customer, "20.00");
		byte[] id = new byte[16];
		new Random().nextBytes(id);
		String traceId = HexFormat.of().formatHex(id);
		this.spans.watch(traceId);
		HttpResponse<String> placed = this.client.send(HttpRequest
			.newBuilder(URI.create(this.run.orderServices().get(0) + "/orders"))
			.header("Content-Type", "application/json")
			.header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
			.POST(HttpRequest.BodyPublishers.ofString("{\"customerId\":\"" + customer
					+ "\",\"currency\":\"EUR\",\"items\":[{\"sku\":\"TRACE-1\",\"quantity\":1,\"unitPrice\":5.00}]}"))
			.build());
		assertThat(placed.statusCode()).as(placed.body()).isEqualTo(202);
		UUID orderId = UUID.fromString(SuiteClient.parse(placed.body()).path("orderId").asString());
		assertThat(this.client.awaitFinal(orderId).path("status").asString()).isEqualTo("CONFIRMED");
		await().atMost(SuiteClient.OUTCOME_TIMEOUT)
			.untilAsserted(() -> assertThat(this.spans.servicesOf(traceId)).containsExactly("notification-service",
					"order-service", "payment-service"));
	}

	/**
	 * Poison of every kind on every partition of every topic a service consumes, then
	 * ordinary orders on every partition: each order ends, and each poison record is in
	 * the dead-letter topic of its topic, once for each service that consumes it.
	 * {@code notifications} is followed only by notification-service's feed, a read
	 * model, which skips what it cannot read; the orders' notifications show it goes on.
	 */
	@Test
	@Order(4)
	void poisonOnEveryPartitionEndsInTheDeadLetterTopicsAndEveryOrderAfterItEnds() {
		PoisonRecords poison = new PoisonRecords(this.run.bootstrapServers());
		List<PoisonRecords.Injected> injected = poison.injectEverywhere();

		// A customer on each partition of payment-service's commands, and orders on
		// each partition of orders, payments and notifications (all keyed by order).
		Map<Integer, String> customers = new TreeMap<>();
		while (customers.size() < 3) {
			String customer = customer("after-poison");
			customers.putIfAbsent(PoisonRecords.partitionOf(customer, 3), customer);
		}
		customers.values().forEach((customer) -> this.client.credit(customer, "100.00"));
		Map<UUID, String> orders = new HashMap<>();
		int[] perPartition = new int[3];
		for (int i = 0; Arrays.stream(perPartition).anyMatch((count) -> count < 2); i++) {
			String customer = customers.get(i % 3);
			UUID orderId = this.client.placeAccepted(customer, "EUR", "5.00");
			orders.put(orderId, customer);
			perPartition[PoisonRecords.partitionOf(orderId.toString(), 3)]++;
		}
		orders.forEach((orderId, customer) -> this.client.awaitOutcome(customer, orderId, "CONFIRMED", null,
				"Your order is confirmed", "payment of 5.00 EUR"));

		for (PoisonRecords.Injected record : injected) {
			if (record.deadLetterTopic() == null) {
				continue;
			}
			int consumers = Topic.ORDERS.topicName().equals(record.topic()) ? 3
					: Topic.PAYMENTS.topicName().equals(record.topic()) ? 2 : 1;
			List<ConsumerRecord<String, byte[]>> dead = await().atMost(SuiteClient.OUTCOME_TIMEOUT)
				.until(() -> poison.deadLettersOf(record), (found) -> found.size() >= consumers);
			assertThat(dead).as("%s", record)
				.hasSize(consumers)
				.allSatisfy(
						(letter) -> assertThat(PoisonRecords.header(letter, "kafka_dlt-exception-message")).isNotBlank()
							.hasSizeLessThan(5000));
			if (record.value().length > 512 * 1024 || record.kind().startsWith("headers")) {
				assertThat(dead).as("%s", record)
					.allSatisfy((letter) -> assertThat(PoisonRecords.header(letter, "ordersaga_dlt-truncated"))
						.isNotNull());
			}
			if (record.kind().contains("ten million digits")) {
				assertThat(dead).as("%s", record)
					.allSatisfy((letter) -> assertThat(PoisonRecords.header(letter, "kafka_dlt-exception-message"))
						.contains("must have at most 18 digits before the decimal point"));
			}
		}
	}

	/**
	 * {@code ./run --prometheus}: Debian's Prometheus on the monitoring compose file's
	 * scrape configuration, scraping both instances of every service, and every query of
	 * the provisioned saga dashboard: each answers with series, orders, outcomes, the
	 * saga's latency, consumer lag and the dead letters of the poison above among them.
	 */
	@Test
	@Order(5)
	void everyQueryOfTheSagaDashboardAnswersFromPrometheusScrapingTheServices() {
		PrometheusApi prometheus = new PrometheusApi(this.run.prometheusUrl());
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(prometheus.targets()).hasSize(6)
				.allSatisfy((target, health) -> assertThat(health).as(target).isEqualTo("up")));
		List<String> queries = SagaDashboard.queries();
		assertThat(queries).hasSizeGreaterThanOrEqualTo(8);
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(queries)
				.allSatisfy((query) -> assertThat(prometheus.query(query)).as(query).isNotEmpty()));
		assertThat(prometheus.query("sum(orders_saga_duration_seconds_count)").get(0).path("value").get(1).asDouble())
			.isPositive();
	}

	@Test
	@Order(5)
	void theDemoShowsEveryOutcome() {
		// ./demo exits with 1 unless every order ended as expected, with a notification.
		List<String> demo = this.run.runScript("demo").lines().skip(1).toList();
		assertThat(demo).hasSize(4);
		assertThat(demo.get(0)).contains("-> CONFIRMED").endsWith("notification: Your order is confirmed");
		assertThat(demo.get(1)).contains("-> CANCELLED INSUFFICIENT_FUNDS")
			.endsWith("notification: Your order was cancelled");
		assertThat(demo.get(3)).contains("-> CANCELLED UNKNOWN_CUSTOMER")
			.endsWith("notification: Your order was cancelled");
	}

	/**
	 * Requests to order-service go to its two instances in turn: each takes orders, and
	 * each answers for the orders the other took.
	 */
	@Test
	@Order(5)
	void bothInstancesOfOrderServiceTakeOrdersAndAnswerForEachOthers() {
		List<ServiceInstance> instances = List.of(ServiceInstance.first("order-service"),
				new ServiceInstance("order-service", 2));
		List<Long> before = instances.stream().map(this::ordersPosted).toList();
		String customer = customer("instances");
		this.client.credit(customer, "100.00");
		List<UUID> orders = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			orders.add(this.client.placeAccepted(customer, "EUR", "1.00"));
		}
		for (int i = 0; i < instances.size(); i++) {
			assertThat(ordersPosted(instances.get(i)) - before.get(i)).as(instances.get(i).name()).isEqualTo(5);
		}
		// Reads go to the two in turn as well: either answers for an order of the other.
		for (UUID orderId : orders) {
			assertThat(this.client.awaitFinal(orderId).path("status").asString()).isEqualTo("CONFIRMED");
		}
	}

	/**
	 * Two rounds of {@code kill -9} while orders come in: first one instance of each
	 * service at once, so that the others take over their partitions and order-service's
	 * other instance its requests; then the other instances, once the first are back, so
	 * that every process of every service has died once.
	 */
	@Test
	@Order(6)
	void noOrderIsLostOrChargedTwiceWhenInstancesAreKilledWhileOrdersArePlaced() {
		OrderRun crash = new OrderRun(this.client, this.run.bootstrapServers(), customer("crash"), 60, 40, 100);
		crash.creditAccounts();
		List<String> rounds = new ArrayList<>();
		crash.placeOrdersWhile(() -> {
			await().atMost(Duration.ofMinutes(2)).until(() -> crash.accepted() >= 100);
			rounds.add(kill(crash, "payment-service-2", "order-service-2", "notification-service-2"));
			int accepted = crash.accepted();
			await().atMost(Duration.ofMinutes(2)).until(() -> crash.accepted() >= accepted + 100);
			rounds.add(kill(crash, "payment-service", "order-service", "notification-service"));
		});
		crash.awaitEveryOrderFinal();
		crash.check("Crash test (kill -9 of one instance of each service, then of the others)");
		rounds.forEach(System.out::println);
	}

	@Test
	@Order(7)
	void stopsEveryProcessAndASecondStartWithOneInstanceOfEachKeepsOrdersAndBalances() {
		List<ProcessHandle> children = this.run.process().descendants().toList();
		assertThat(children).hasSizeGreaterThanOrEqualTo(7);
		this.run.close();
		// The JVM's exit code after a SIGTERM it handled: 128 + 15.
		assertThat(this.run.process().exitValue()).isEqualTo(143);
		await().atMost(Duration.ofSeconds(30)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
		assertThat(this.run.output())
			.anyMatch((line) -> line.startsWith("Stopped. Data in " + WORK.resolve("run-data")));

		// Scaled in to one instance of each: the state of the second ones stays unused.
		this.run = this.run.startAgain(1);
		this.client = new SuiteClient(this.run);
		assertThat(this.run.orderServices()).hasSize(1);
		assertThat(this.client.order(this.remembered).path("status").asString()).isEqualTo("CONFIRMED");
		assertThat(balance(this.rememberedCustomer)).isEqualByComparingTo("70.00");
	}

	private BigDecimal balance(String customer) {
		return SuiteClient.balance(this.client.account(customer).orElseThrow());
	}

	private List<Kcat.Record> kcatRecords(Topic topic, UUID orderId) {
		return this.kcat.read(topic.topicName())
			.stream()
			.filter((record) -> record.key().equals(orderId.toString()))
			.toList();
	}

	private List<EventEnvelope<?>> eventsOf(Topic topic, UUID orderId) {
		return TopicContents.read(this.run.bootstrapServers(), topic)
			.stream()
			.filter((event) -> event.orderId().equals(orderId))
			.toList();
	}

	/**
	 * Kills instances of services the hard way, all at once, and waits until the run
	 * command has them back.
	 * @return what the orders saw meanwhile
	 */
	private String kill(OrderRun orders, String... instances) {
		int seen = this.run.output().size();
		Instant start = Instant.now();
		for (String instance : instances) {
			ProcessHandle process = this.run.serviceProcess(instance);
			System.out.println("kill -9 " + instance + " (pid " + process.pid() + ")");
			process.destroyForcibly();
		}
		for (String instance : instances) {
			this.run.awaitNewLine(seen, (line) -> line.startsWith(instance + " is back on "), RunScript.START_TIMEOUT);
		}
		Instant back = Instant.now();
		return String.format("kill -9 of %s: back in %d s; longest POST wait %d ms, longest saga standstill %d ms",
				String.join(", ", instances), Duration.between(start, back).toSeconds(),
				orders.longestPostWait(start, back).toMillis(), orders.longestStandstill(start, back).toMillis());
	}

	/** How many orders an instance of order-service has answered, from its metrics. */
	private long ordersPosted(ServiceInstance instance) {
		HttpResponse<String> response;
		try (HttpClient http = HttpClient.newHttpClient()) {
			response = http.send(
					HttpRequest.newBuilder(URI.create(this.run.managementUrl(instance)
							+ "/actuator/metrics/http.server.requests?tag=uri:/orders&tag=method:POST"))
						.build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		if (response.statusCode() == 404) {
			return 0;
		}
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return SuiteClient.parse(response.body())
			.path("measurements")
			.valueStream()
			.filter((measurement) -> measurement.path("statistic").asString().equals("COUNT"))
			.findFirst()
			.orElseThrow()
			.path("value")
			.asLong();
	}

	private static String customer(String purpose) {
		return "e2e-" + purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
