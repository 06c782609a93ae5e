package io.ordersaga.payment.charging;

import io.ordersaga.payment.account.PaymentTopics;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.LongStream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ordersaga.events.CancellationReason;
import io.ordersaga.events.DeclineReason;
import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.LineItem;
import io.ordersaga.events.OrderCancelled;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.PaymentAuthorized;
import io.ordersaga.events.PaymentDeclined;
import io.ordersaga.events.PaymentRefunded;
import io.ordersaga.events.SagaEvent;
import io.ordersaga.events.kafka.EventDeserializer;
import io.ordersaga.events.kafka.EventSerializer;
import io.ordersaga.payment.account.Account;
import io.ordersaga.payment.account.AccountBalance;
import io.ordersaga.payment.account.AccountStates;
import io.ordersaga.payment.account.Movement;
import io.ordersaga.payment.account.AccountCommand;
import io.ordersaga.payment.account.AccountCommands;
import io.ordersaga.support.streams.RecordTracing;
import io.ordersaga.support.streams.Output;
import io.ordersaga.support.streams.ProcessingFailures;
import io.ordersaga.support.streams.StreamsErrorHandler;
import io.ordersaga.kafka.test.TestTopologies;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.io.ClassPathResource;
import org.springframework.kafka.support.KafkaHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/** Every charging rule, on the real topology with Kafka Streams' test driver. */
class PaymentTopologyTests {

	private static final Duration RETENTION = Duration.ofHours(24);

	private static final Currency EUR = Currency.getInstance("EUR");

	private static final Output STATE = new Output(PaymentTopics.ACCOUNTS, new byte[0]);

	@TempDir
	Path stateDir;

	private SimpleMeterRegistry meters;

	private TopologyTestDriver driver;

	private TestInputTopic<String, byte[]> orders;

	private TestInputTopic<String, byte[]> commands;

	private TestOutputTopic<String, EventEnvelope<?>> payments;

	@BeforeEach
	void startDriver() {
		this.meters = new SimpleMeterRegistry();
		ProcessingFailures failures = new ProcessingFailures(3, PaymentTopology::deadLetterTopic, (topic) -> {
		});
		StreamsBuilder builder = new StreamsBuilder();
		PaymentTopology.build(builder, "payment-service", RecordTracing.NOOP, new PaymentMetrics(this.meters), failures,
				RETENTION);
		this.driver = TestTopologies.driver(builder.build(), "payment-service", this.stateDir,
				StreamsErrorHandler.use(new Properties(), failures));
		this.orders = this.driver.createInputTopic("orders", new StringSerializer(), new ByteArraySerializer());
		this.commands = this.driver.createInputTopic(PaymentTopics.ACCOUNT_COMMANDS, new StringSerializer(),
				new ByteArraySerializer());
		this.payments = this.driver.createOutputTopic("payments", new StringDeserializer(), new EventDeserializer());
	}

	@AfterEach
	void closeDriver() {
		this.driver.close();
	}

	@Test
	void chargesAnAccountThatCoversTheOrder() {
		open("alice", "100.00");
		EventEnvelope<OrderPlaced> order = place("alice", "30.00");

		EventEnvelope<?> outcome = onlyPayment();
		assertThat(outcome.data()).isEqualTo(new PaymentAuthorized("alice", new BigDecimal("30.00"), EUR));
		assertThat(outcome.key()).isEqualTo(order.key());
		assertThat(outcome.causationId()).isEqualTo(order.id());
		assertThat(outcome.correlationId()).isEqualTo(order.correlationId());
		assertThat(balance("alice")).isEqualByComparingTo("70.00");
		assertThat(account("alice").movements().get(0).orderId()).isEqualTo(order.orderId());
		assertThat(this.meters.counter("payments.charges").count()).isEqualTo(1);
	}

	@Test
	void declinesAnOrderTheBalanceDoesNotCover() {
		open("bob", "20.00");
		place("bob", "30.00");

		assertThat(onlyPayment().data())
			.isEqualTo(new PaymentDeclined("bob", DeclineReason.INSUFFICIENT_FUNDS, new BigDecimal("30.00"), EUR));
		assertThat(balance("bob")).isEqualByComparingTo("20.00");
		assertThat(this.meters.counter("payments.declines", "reason", "INSUFFICIENT_FUNDS").count()).isEqualTo(1);
	}

	@Test
	void declinesAnOrderOfACustomerWithoutAnAccount() {
		place("nobody", "30.00");

		assertThat(((PaymentDeclined) onlyPayment().data()).reason()).isEqualTo(DeclineReason.UNKNOWN_CUSTOMER);
	}

	@Test
	void declinesAnOrderInAnotherCurrency() {
		open("alice", "100.00");
		this.orders.pipeInput(key(placed("alice", "10.00", Currency.getInstance("USD"))));

		assertThat(((PaymentDeclined) onlyPayment().data()).reason()).isEqualTo(DeclineReason.CURRENCY_MISMATCH);
	}

	@Test
	void aRedeliveredOrderIsChargedOnceAndAnsweredOnce() {
		open("alice", "100.00");
		EventEnvelope<OrderPlaced> order = placed("alice", "30.00", EUR);
		this.orders.pipeInput(key(order));
		this.orders.pipeInput(key(order));

		assertThat(onlyPayment().data()).isInstanceOf(PaymentAuthorized.class);
		assertThat(balance("alice")).isEqualByComparingTo("70.00");
	}

	@Test
	void neverOverdrawsAnAccount() {
		open("carol", "100.00");
		for (int i = 0; i < 5; i++) {
			place("carol", "30.00");
		}

		List<EventEnvelope<?>> outcomes = this.payments.readValuesToList();
		assertThat(outcomes).filteredOn((e) -> e.data() instanceof PaymentAuthorized).hasSize(3);
		assertThat(outcomes).filteredOn((e) -> e.data() instanceof PaymentDeclined).hasSize(2);
		assertThat(balance("carol")).isEqualByComparingTo("10.00");
	}

	@Test
	void aSecondOrderPlacedForTheSameOrderChargesNobodyElse() {
		open("alice", "100.00");
		open("bob", "100.00");
		// Two requests racing with one idempotency key can each publish an OrderPlaced
		// for the order; every consumer keeps the first.
		EventEnvelope<OrderPlaced> first = place("alice", "30.00");
		this.orders.pipeInput(key(EventEnvelope.first("/order-service", first.orderId(),
				OrderPlaced.of("bob", EUR, List.of(new LineItem("SKU-2", 1, new BigDecimal("40.00")))))));

		assertThat(onlyPayment().data()).isEqualTo(new PaymentAuthorized("alice", new BigDecimal("30.00"), EUR));
		assertThat(balance("alice")).isEqualByComparingTo("70.00");
		assertThat(balance("bob")).isEqualByComparingTo("100.00");
	}

	@Test
	void refundsACancelledChargedOrderOnce() {
		open("alice", "100.00");
		EventEnvelope<OrderPlaced> order = place("alice", "30.00");
		EventEnvelope<OrderCancelled> cancelled = order.causes("/order-service",
				new OrderCancelled("alice", CancellationReason.PAYMENT_TIMEOUT, new BigDecimal("30.00"), EUR));
		this.orders.pipeInput(key(cancelled));
		this.orders.pipeInput(key(cancelled));

		List<EventEnvelope<?>> outcomes = this.payments.readValuesToList();
		assertThat(outcomes).extracting((e) -> e.data().getClass().getSimpleName())
			.containsExactly("PaymentAuthorized", "PaymentRefunded");
		assertThat(outcomes.get(1).data()).isEqualTo(new PaymentRefunded("alice", new BigDecimal("30.00"), EUR));
		assertThat(outcomes.get(1).causationId()).isEqualTo(cancelled.id());
		assertThat(balance("alice")).isEqualByComparingTo("100.00");
		assertThat(this.meters.counter("payments.refunds").count()).isEqualTo(1);
	}

	@Test
	void theCancellationOfAnOrderNeverChargedChangesNothing() {
		open("bob", "10.00");
		EventEnvelope<OrderPlaced> order = place("bob", "30.00");
		this.orders.pipeInput(key(order.causes("/order-service",
				new OrderCancelled("bob", CancellationReason.INSUFFICIENT_FUNDS, new BigDecimal("30.00"), EUR))));

		assertThat(onlyPayment().data()).isInstanceOf(PaymentDeclined.class);
		assertThat(balance("bob")).isEqualByComparingTo("10.00");
	}

	@Test
	void anOrderCancelledBeforeItArrivesIsNeverCharged() {
		open("alice", "100.00");
		EventEnvelope<OrderPlaced> order = placed("alice", "30.00", EUR);
		this.orders.pipeInput(key(order.causes("/order-service",
				new OrderCancelled("alice", CancellationReason.PAYMENT_TIMEOUT, new BigDecimal("30.00"), EUR))));
		this.orders.pipeInput(key(order));

		assertThat(this.payments.readValuesToList()).isEmpty();
		assertThat(balance("alice")).isEqualByComparingTo("100.00");
	}

	@Test
	void appliesACreditOncePerCommandAndOpensTheAccountIfNeeded() {
		AccountCommand.Credit credit = new AccountCommand.Credit(UUID.randomUUID(), "dave", new BigDecimal("50.00"),
				EUR);
		this.commands.pipeInput("dave", AccountCommands.write(credit));
		this.commands.pipeInput("dave", AccountCommands.write(credit));

		assertThat(balance("dave")).isEqualByComparingTo("50.00");
		assertThat(account("dave").movementOf(credit.commandId())).isNotNull();
	}

	@Test
	void openingAnExistingAccountNeverResetsIt() {
		open("alice", "100.00");
		place("alice", "30.00");
		this.commands.pipeInput("alice", AccountCommands
			.write(new AccountCommand.Open(UUID.randomUUID(), "alice", EUR, new BigDecimal("1000.00"))));

		assertThat(balance("alice")).isEqualByComparingTo("70.00");
	}

	@Test
	void sendsAnUnreadableOrderToTheDeadLetterTopicAndGoesOn() {
		TestOutputTopic<String, byte[]> deadLetters = this.driver.createOutputTopic("orders-dlt",
				new StringDeserializer(), new ByteArrayDeserializer());
		open("alice", "100.00");
		byte[] garbage = "not an event".getBytes(StandardCharsets.UTF_8);
		this.orders.pipeInput(UUID.randomUUID().toString(), garbage);
		place("alice", "30.00");

		TestRecord<String, byte[]> deadLetter = deadLetters.readRecord();
		assertThat(deadLetter.value()).isEqualTo(garbage);
		assertThat(new String(deadLetter.headers().lastHeader(KafkaHeaders.DLT_EXCEPTION_MESSAGE).value(),
				StandardCharsets.UTF_8))
			.contains("not valid JSON");
		assertThat(onlyPayment().data()).isInstanceOf(PaymentAuthorized.class);
	}

	@Test
	void sendsAnUnreadableCommandToItsDeadLetterTopic() {
		TestOutputTopic<String, byte[]> deadLetters = this.driver.createOutputTopic(PaymentTopics.ACCOUNT_COMMANDS_DLT,
				new StringDeserializer(), new ByteArrayDeserializer());
		this.commands.pipeInput("alice", "{\"type\":\"Steal\"}".getBytes(StandardCharsets.UTF_8));
		open("alice", "100.00");

		assertThat(deadLetters.readRecord().key()).isEqualTo("alice");
		assertThat(balance("alice")).isEqualByComparingTo("100.00");
	}

	@Test
	void anOrderReadFromTheRepartitionByCustomerIsDeadLetteredAsAnOrder() {
		assertThat(PaymentTopology.deadLetterTopic("payment-service-orders-by-customer-repartition"))
			.isEqualTo("orders-dlt");
		assertThat(PaymentTopology.deadLetterTopic("orders")).isEqualTo("orders-dlt");
		assertThat(PaymentTopology.deadLetterTopic(PaymentTopics.ACCOUNT_COMMANDS))
			.isEqualTo(PaymentTopics.ACCOUNT_COMMANDS_DLT);
	}

	@Test
	void publishesEachChangeAsItsMovementThenTheBalanceItLeft() {
		TestOutputTopic<String, byte[]> states = this.driver.createOutputTopic(PaymentTopics.ACCOUNTS,
				new StringDeserializer(), new ByteArrayDeserializer());
		open("alice", "100.00");
		EventEnvelope<OrderPlaced> order = place("alice", "30.00");

		List<KeyValue<String, byte[]>> published = states.readKeyValuesToList();
		assertThat(published).extracting((kv) -> kv.key).containsExactly("alice/1", "alice", "alice/2", "alice");
		Movement charge = AccountStates.readMovement(published.get(2).value);
		assertThat(charge.sequence()).isEqualTo(2);
		assertThat(charge.type()).isEqualTo(Movement.Type.CHARGE);
		assertThat(charge.orderId()).isEqualTo(order.orderId());
		assertThat(charge.balanceAfter()).isEqualByComparingTo("70.00");
		assertThat(AccountStates.readBalance(published.get(3).value))
			.isEqualTo(new AccountBalance("alice", EUR, new BigDecimal("70.00"), 2));
		KeyValueStore<String, byte[]> balances = this.driver.getKeyValueStore(PaymentTopology.ACCOUNT_STORE);
		assertThat(published.get(3).value).isEqualTo(balances.get("alice"));
	}

	@Test
	void keepsTheLastMovementsOfAnAccountOneRecordEach() {
		TestOutputTopic<String, byte[]> states = this.driver.createOutputTopic(PaymentTopics.ACCOUNTS,
				new StringDeserializer(), new ByteArrayDeserializer());
		open("alice", "1000.00");
		for (int i = 0; i < 25; i++) {
			place("alice", "1.00");
		}

		Account alice = account("alice");
		assertThat(alice.balance()).isEqualByComparingTo("975.00");
		assertThat(alice.movements()).extracting(Movement::sequence)
			.containsExactlyElementsOf(LongStream.iterate(26, (n) -> n > 6, (n) -> n - 1).boxed().toList());
		assertThat(alice.movements().get(0).balanceAfter()).isEqualByComparingTo("975.00");
		List<KeyValue<String, byte[]>> published = states.readKeyValuesToList();
		assertThat(published).hasSize(2 * 26);
		assertThat(published.stream().map((kv) -> kv.key).distinct()).hasSize(AccountStates.RECENT_MOVEMENTS + 1);
	}

	@Test
	void leavesThePartitionOfAPaymentEventToTheProducer() {
		assertThat(PaymentTopology.partition("payments", "order-1", new Output("payments", new byte[0]), 3)).isEmpty();
	}

	@Test
	void putsAnAccountsMovementsOnItsCustomersPartition() {
		for (int partitions : new int[] { 1, 3, 7 }) {
			for (int c = 0; c < 50; c++) {
				String customer = "customer-" + c;
				int customers = BuiltInPartitioner.partitionForKey(customer.getBytes(StandardCharsets.UTF_8),
						partitions);
				assertThat(PaymentTopology.partition(PaymentTopics.ACCOUNTS, customer, STATE, partitions))
					.contains(Set.of(customers));
				for (int slot = 0; slot < AccountStates.RECENT_MOVEMENTS; slot++) {
					assertThat(
							PaymentTopology.partition(PaymentTopics.ACCOUNTS, customer + "/" + slot, STATE, partitions))
						.contains(Set.of(customers));
				}
			}
		}
	}

	@Test
	void chargesAnAccountKeptInTheEarlierFormAndNumbersItsMovementsFromOne() throws IOException {
		// alice's account as it was kept before its movements were kept apart.
		byte[] before = new ClassPathResource("accounts/earlier-form.json").getContentAsByteArray();
		this.driver.<String, byte[]>getKeyValueStore(PaymentTopology.ACCOUNT_STORE).put("alice", before);
		EventEnvelope<OrderPlaced> order = place("alice", "70.00");

		assertThat(onlyPayment().data()).isInstanceOf(PaymentAuthorized.class);
		assertThat(balance("alice")).isEqualByComparingTo("900.00");
		Account alice = account("alice");
		assertThat(alice.balance()).isEqualByComparingTo("900.00");
		assertThat(alice.movements()).singleElement().satisfies((charge) -> {
			assertThat(charge.sequence()).isEqualTo(1);
			assertThat(charge.orderId()).isEqualTo(order.orderId());
		});
	}

	@Test
	void sendsACommandForACustomerIdWithASlashToTheDeadLetterTopic() {
		TestOutputTopic<String, byte[]> deadLetters = this.driver.createOutputTopic(PaymentTopics.ACCOUNT_COMMANDS_DLT,
				new StringDeserializer(), new ByteArrayDeserializer());
		open("alice", "100.00");
		this.commands.pipeInput("alice/1",
				("{\"type\":\"Credit\",\"commandId\":\"" + UUID.randomUUID()
						+ "\",\"customerId\":\"alice/1\",\"amount\":\"5.00\",\"currency\":\"EUR\"}")
					.getBytes(StandardCharsets.UTF_8));

		assertThat(new String(deadLetters.readRecord().headers().lastHeader(KafkaHeaders.DLT_EXCEPTION_MESSAGE).value(),
				StandardCharsets.UTF_8))
			.contains("customerId 'alice/1'");
		assertThat(account("alice").movements()).hasSize(1);
	}

	@Test
	void neverAppliesACommandWhoseAmountIsNotMoney() {
		TestOutputTopic<String, byte[]> deadLetters = this.driver.createOutputTopic(PaymentTopics.ACCOUNT_COMMANDS_DLT,
				new StringDeserializer(), new ByteArrayDeserializer());
		open("alice", "100.00");

		for (String amount : List.of("-400.00", "0", "1E+10000000", "0.001")) {
			this.commands.pipeInput("alice",
					("{\"type\":\"Credit\",\"commandId\":\"" + UUID.randomUUID()
							+ "\",\"customerId\":\"alice\",\"amount\":\"" + amount + "\",\"currency\":\"EUR\"}")
						.getBytes(StandardCharsets.UTF_8));
		}
		this.commands.pipeInput("carol",
				("{\"type\":\"Open\",\"commandId\":\"" + UUID.randomUUID()
						+ "\",\"customerId\":\"carol\",\"balance\":\"-5.00\",\"currency\":\"EUR\"}")
					.getBytes(StandardCharsets.UTF_8));

		assertThat(deadLetters.readRecordsToList())
			.extracting((dead) -> new String(dead.headers().lastHeader(KafkaHeaders.DLT_EXCEPTION_MESSAGE).value(),
					StandardCharsets.UTF_8))
			.satisfiesExactly((message) -> assertThat(message).contains("'amount' must be positive, was -400.00"),
					(message) -> assertThat(message).contains("'amount' must be positive, was 0"),
					(message) -> assertThat(message)
						.contains("'amount' must have at most 18 digits before the decimal point"),
					(message) -> assertThat(message)
						.contains("'amount' must have at most 2 digits after the decimal point in EUR"),
					(message) -> assertThat(message).contains("'balance' must be positive, was -5.00"));
		assertThat(balance("alice")).isEqualByComparingTo("100.00");
		assertThat(this.driver.getKeyValueStore(PaymentTopology.ACCOUNT_STORE).get("carol")).isNull();
	}

	@Test
	void neverAppliesACommandWhoseKeyIsNotItsCustomer() {
		TestOutputTopic<String, byte[]> deadLetters = this.driver.createOutputTopic(PaymentTopics.ACCOUNT_COMMANDS_DLT,
				new StringDeserializer(), new ByteArrayDeserializer());
		open("alice", "100.00");

		this.commands.pipeInput("bob", AccountCommands
			.write(new AccountCommand.Credit(UUID.randomUUID(), "alice", new BigDecimal("50.00"), EUR)));

		TestRecord<String, byte[]> deadLetter = deadLetters.readRecord();
		assertThat(deadLetter.key()).isEqualTo("bob");
		assertThat(new String(deadLetter.headers().lastHeader(KafkaHeaders.DLT_EXCEPTION_MESSAGE).value(),
				StandardCharsets.UTF_8))
			.isEqualTo("record key 'bob' is not the command's customer 'alice'");
		assertThat(balance("alice")).isEqualByComparingTo("100.00");
	}

	@Test
	void forgetsOrdersAndAppliedCommandsOnceStreamTimeIsPastTheRetentionButKeepsTheAccount() {
		KeyValueStore<String, Object> decisions = this.driver.getKeyValueStore(PaymentTopology.DECISION_STORE);
		KeyValueStore<String, Object> customers = this.driver.getKeyValueStore(PaymentTopology.ORDER_CUSTOMER_STORE);
		KeyValueStore<String, Object> commands = this.driver.getKeyValueStore(PaymentTopology.COMMAND_STORE);
		AccountCommand.Open opening = new AccountCommand.Open(UUID.randomUUID(), "alice", EUR,
				new BigDecimal("100.00"));
		this.commands.pipeInput("alice", AccountCommands.write(opening));
		EventEnvelope<OrderPlaced> order = place("alice", "30.00");
		assertThat(decisions.get(order.key())).isNotNull();
		assertThat(customers.get(order.key())).isNotNull();
		assertThat(commands.get(opening.commandId().toString())).isNotNull();

		// Stream time moves with the records, on each task: a day and three minutes
		// later.
		Instant later = Instant.now().plus(RETENTION).plusSeconds(180);
		EventEnvelope<OrderPlaced> next = placed("bob", "1.00", EUR);
		this.orders.pipeInput(new TestRecord<>(next.key(), new EventSerializer().serialize("orders", next), later));
		this.commands.pipeInput(new TestRecord<>("alice",
				AccountCommands.write(new AccountCommand.Credit(UUID.randomUUID(), "alice", BigDecimal.ONE, EUR)),
				later));

		assertThat(decisions.get(order.key())).isNull();
		assertThat(customers.get(order.key())).isNull();
		assertThat(commands.get(opening.commandId().toString())).isNull();
		assertThat(balance("alice")).isEqualByComparingTo("71.00");
	}

	@Test
	void stampsAnAccountsStatesInOrderEvenWhenItsInputsAreNot() {
		TestOutputTopic<String, byte[]> states = this.driver.createOutputTopic(PaymentTopics.ACCOUNTS,
				new StringDeserializer(), new ByteArrayDeserializer());
		Instant later = Instant.now().plusSeconds(60);
		this.commands
			.pipeInput(new TestRecord<>("alice",
					AccountCommands
						.write(new AccountCommand.Open(UUID.randomUUID(), "alice", EUR, new BigDecimal("100.00"))),
					later));
		EventEnvelope<OrderPlaced> order = placed("alice", "30.00", EUR);
		this.orders.pipeInput(new TestRecord<>(order.key(), new EventSerializer().serialize("orders", order),
				later.minusSeconds(30)));

		List<Instant> stamps = states.readRecordsToList().stream().map(TestRecord::getRecordTime).toList();
		assertThat(stamps).hasSize(4).isSorted();
	}

	private void open(String customerId, String balance) {
		this.commands.pipeInput(customerId, AccountCommands
			.write(new AccountCommand.Open(UUID.randomUUID(), customerId, EUR, new BigDecimal(balance))));
	}

	private EventEnvelope<OrderPlaced> place(String customerId, String total) {
		EventEnvelope<OrderPlaced> order = placed(customerId, total, EUR);
		this.orders.pipeInput(key(order));
		return order;
	}

	private static EventEnvelope<OrderPlaced> placed(String customerId, String total, Currency currency) {
		return EventEnvelope.first("/order-service", UUID.randomUUID(),
				OrderPlaced.of(customerId, currency, List.of(new LineItem("SKU-1", 1, new BigDecimal(total)))));
	}

	private static TestRecord<String, byte[]> key(EventEnvelope<? extends SagaEvent> event) {
		return new TestRecord<>(event.key(), new EventSerializer().serialize("orders", event));
	}

	private EventEnvelope<?> onlyPayment() {
		List<EventEnvelope<?>> outcomes = this.payments.readValuesToList();
		assertThat(outcomes).hasSize(1);
		return outcomes.get(0);
	}

	/** The account as the accounts view shows it. */
	private Account account(String customerId) {
		KeyValueStore<String, byte[]> view = this.driver.getKeyValueStore(AccountStates.VIEW_STORE);
		return AccountStates.read(view::get, customerId).orElseThrow();
	}

	/** The balance charges are checked against. */
	private BigDecimal balance(String customerId) {
		KeyValueStore<String, byte[]> balances = this.driver.getKeyValueStore(PaymentTopology.ACCOUNT_STORE);
		return AccountStates.readBalance(balances.get(customerId)).balance();
	}

}
