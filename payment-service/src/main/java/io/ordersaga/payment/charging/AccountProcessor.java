package io.ordersaga.payment.charging;

import io.ordersaga.payment.account.PaymentTopics;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import io.ordersaga.events.DeclineReason;
import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.OrderCancelled;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.PaymentAuthorized;
import io.ordersaga.events.PaymentDeclined;
import io.ordersaga.events.PaymentEvent;
import io.ordersaga.events.PaymentRefunded;
import io.ordersaga.payment.account.AccountBalance;
import io.ordersaga.payment.account.AccountCommand;
import io.ordersaga.payment.account.AccountCommands;
import io.ordersaga.payment.account.AccountStates;
import io.ordersaga.payment.account.Movement;
import io.ordersaga.support.streams.DeadLetters;
import io.ordersaga.support.streams.RecordTracing;
import io.ordersaga.support.streams.EventRecordProcessor;
import io.ordersaga.support.streams.Output;
import io.ordersaga.support.streams.ProcessingFailures;
import io.ordersaga.support.streams.StoreExpiry;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies everything that changes an account, one customer at a time: charges for
 * {@code OrderPlaced}, refunds for {@code OrderCancelled} after a charge, and the credits
 * and openings of the command topic. Its input is keyed by customer, so a customer's
 * orders, whatever their partition, are charged one after the other and can never
 * overdraw the account.
 *
 * <p>
 * Exactly-once: the account's balance (in its store and, with the movement that changed
 * it, on the accounts topic), the decision remembered for the order, the payment event
 * and the consumed offsets commit in one Kafka Streams transaction. A redelivered
 * {@code OrderPlaced} finds its decision and writes nothing; a cancellation refunds a
 * charge once; a command id is applied once.
 */
class AccountProcessor extends EventRecordProcessor<Output> {

	static final String SOURCE = "/payment-service";

	private static final Logger logger = LoggerFactory.getLogger(AccountProcessor.class);

	private final PaymentMetrics metrics;

	private final Duration stateRetention;

	private @Nullable StoreExpiry expiry;

	private @Nullable KeyValueStore<String, byte[]> accounts;

	private @Nullable KeyValueStore<String, PaymentDecision> decisions;

	private @Nullable KeyValueStore<String, String> appliedCommands;

	AccountProcessor(String applicationId, RecordTracing tracing, PaymentMetrics metrics, ProcessingFailures failures,
			Duration stateRetention) {
		super("payment", applicationId, tracing, failures);
		this.metrics = metrics;
		this.stateRetention = stateRetention;
	}

	@Override
	public void init(ProcessorContext<String, Output> context) {
		super.init(context);
		this.accounts = context.getStateStore(PaymentTopology.ACCOUNT_STORE);
		this.decisions = context.getStateStore(PaymentTopology.DECISION_STORE);
		this.appliedCommands = context.getStateStore(PaymentTopology.COMMAND_STORE);
		// A decision recognises a redelivered order and finds the charge to refund; an
		// applied command's id, a retried credit. Both are kept for the retention after
		// their last change, in stream time; the accounts themselves are kept.
		this.expiry = StoreExpiry.schedule(context, PaymentTopology.ACCOUNT_EXPIRY_STORE, this.stateRetention,
				Map.of(PaymentTopology.DECISION_STORE, decisions(), PaymentTopology.COMMAND_STORE, appliedCommands()));
	}

	/**
	 * Commands are read here; order events, from the repartition by customer, as events.
	 * A record that cannot be used goes to the dead-letter topic of what it is: a command
	 * to the commands', an order to {@code orders-dlt}
	 * ({@link PaymentTopology#deadLetterTopic}).
	 */
	@Override
	protected void read(String topic, Record<String, byte[]> record) {
		if (PaymentTopics.ACCOUNT_COMMANDS.equals(topic)) {
			apply(AccountCommands.read(record.value()), record.key());
		}
		else {
			super.read(topic, record);
		}
	}

	/** Order events come keyed by customer, as the intake repartitioned them. */
	@Override
	protected @Nullable String expectedKey(EventEnvelope<?> event) {
		return null;
	}

	@Override
	protected void handle(EventEnvelope<?> event, Record<String, byte[]> record) {
		handle(event);
	}

	private void handle(EventEnvelope<?> event) {
		switch (event.data()) {
			case OrderPlaced placed -> charge(event, placed);
			case OrderCancelled cancelled -> refund(event);
			default -> logger.debug("Ignoring {} for order {}", event.type().token(), event.orderId());
		}
	}

	private void charge(EventEnvelope<?> event, OrderPlaced order) {
		String orderId = event.key();
		PaymentDecision earlier = decisions().get(orderId);
		if (earlier != null) {
			logger.info("Order {} was already decided ({}); ignoring OrderPlaced {}", orderId, earlier.status(),
					event.id());
			return;
		}
		AccountBalance account = account(order.customerId());
		DeclineReason reason = (account == null) ? DeclineReason.UNKNOWN_CUSTOMER
				: !account.currency().equals(order.currency()) ? DeclineReason.CURRENCY_MISMATCH
						: !account.covers(order.total()) ? DeclineReason.INSUFFICIENT_FUNDS : null;
		PaymentEvent outcome;
		if (account != null && reason == null) {
			save(account.charge(order.total(), event.orderId(), now()));
			outcome = new PaymentAuthorized(order.customerId(), order.total(), order.currency());
			this.metrics.charged(order.total(), order.currency());
		}
		else {
			// Never null here: an unknown account is UNKNOWN_CUSTOMER.
			DeclineReason declined = Objects.requireNonNull(reason, "decline reason");
			outcome = new PaymentDeclined(order.customerId(), declined, order.total(), order.currency());
			this.metrics.declined(declined);
		}
		decisions().put(orderId,
				new PaymentDecision(
						(reason == null) ? PaymentDecision.Status.AUTHORIZED : PaymentDecision.Status.DECLINED,
						order.customerId(), order.total(), order.currency()));
		expireLater(PaymentTopology.DECISION_STORE, orderId);
		emit(event.causes(SOURCE, outcome));
	}

	private void refund(EventEnvelope<?> event) {
		String orderId = event.key();
		PaymentDecision decision = decisions().get(orderId);
		if (decision == null) {
			decisions().put(orderId, new PaymentDecision(PaymentDecision.Status.CANCELLED_UNCHARGED,
					event.data().customerId(), BigDecimal.ZERO, ((OrderCancelled) event.data()).currency()));
			expireLater(PaymentTopology.DECISION_STORE, orderId);
			return;
		}
		if (decision.status() != PaymentDecision.Status.AUTHORIZED) {
			return;
		}
		AccountBalance account = Objects.requireNonNull(account(decision.customerId()), "charged account");
		save(account.refund(decision.amount(), event.orderId(), now()));
		decisions().put(orderId, decision.with(PaymentDecision.Status.REFUNDED));
		expireLater(PaymentTopology.DECISION_STORE, orderId);
		emit(event.causes(SOURCE, new PaymentRefunded(decision.customerId(), decision.amount(), decision.currency())));
		this.metrics.refunded(decision.amount(), decision.currency());
		logger.info("Refunded {} {} to {} for cancelled order {}", decision.amount(), decision.currency(),
				decision.customerId(), orderId);
	}

	private void apply(AccountCommand command, @Nullable String key) {
		if (!command.customerId().equals(key)) {
			throw new IllegalArgumentException("record key '" + DeadLetters.shortened(String.valueOf(key), 100)
					+ "' is not the command's customer '" + command.customerId() + "'");
		}
		String commandId = command.commandId().toString();
		if (appliedCommands().get(commandId) != null) {
			return;
		}
		appliedCommands().put(commandId, command.getClass().getSimpleName());
		expireLater(PaymentTopology.COMMAND_STORE, commandId);
		AccountBalance existing = account(command.customerId());
		switch (command) {
			case AccountCommand.Open open -> {
				if (existing == null) {
					AccountBalance opened = AccountBalance.open(open.customerId(), open.currency());
					if (open.balance().signum() > 0) {
						save(opened.credit(open.balance(), open.commandId(), now()));
					}
					else {
						save(opened);
					}
				}
			}
			case AccountCommand.Credit credit -> {
				AccountBalance account = (existing != null) ? existing
						: AccountBalance.open(credit.customerId(), credit.currency());
				if (!account.currency().equals(credit.currency())) {
					logger.warn("Not crediting {} {} to {}: the account is kept in {}", credit.amount(),
							credit.currency(), credit.customerId(), account.currency());
					return;
				}
				save(account.credit(credit.amount(), credit.commandId(), now()));
				this.metrics.credited(credit.amount(), credit.currency());
			}
		}
	}

	/** Publishes a movement, then keeps and publishes the balance it left. */
	private void save(AccountBalance.Change change) {
		Movement movement = change.movement();
		publish(AccountStates.movementKey(change.balance().customerId(), movement.sequence()),
				AccountStates.write(movement));
		save(change.balance());
	}

	private void save(AccountBalance balance) {
		byte[] json = AccountStates.write(balance);
		Objects.requireNonNull(this.accounts, "not initialized").put(balance.customerId(), json);
		publish(balance.customerId(), json);
	}

	private void publish(String key, byte[] json) {
		// Stamped with the time of the change, not of the input record: the states of an
		// account must carry increasing timestamps, or the accounts view sees them as out
		// of order.
		context().forward(new Record<String, Output>(key, new Output(PaymentTopics.ACCOUNTS, json),
				context().currentSystemTimeMs(), new RecordHeaders()));
	}

	private void emit(EventEnvelope<? extends PaymentEvent> event) {
		forward(event.key(), Output.event(event), event.time().toEpochMilli());
	}

	private void expireLater(String store, String key) {
		Objects.requireNonNull(this.expiry, "not initialized").removeLater(store, key, context().currentStreamTimeMs());
	}

	private Instant now() {
		return Instant.ofEpochMilli(context().currentSystemTimeMs());
	}

	private @Nullable AccountBalance account(String customerId) {
		byte[] json = Objects.requireNonNull(this.accounts, "not initialized").get(customerId);
		return (json != null) ? AccountStates.readBalance(json) : null;
	}

	private KeyValueStore<String, PaymentDecision> decisions() {
		return Objects.requireNonNull(this.decisions, "not initialized");
	}

	private KeyValueStore<String, String> appliedCommands() {
		return Objects.requireNonNull(this.appliedCommands, "not initialized");
	}

}
