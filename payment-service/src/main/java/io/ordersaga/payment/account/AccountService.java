package io.ordersaga.payment.account;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.ordersaga.events.Money;
import io.ordersaga.support.web.ApiExceptionHandler;
import io.ordersaga.support.web.KafkaWaits;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Service;
import org.springframework.web.ErrorResponseException;

/**
 * Credits accounts by writing a command that the charging topology applies, in order with
 * the customer's charges and exactly once per command id, then waits until the credit
 * shows.
 */
@Service
class AccountService {

	static final Currency DEFAULT_CURRENCY = Currency.getInstance("EUR");

	private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration VISIBLE_TIMEOUT = Duration.ofSeconds(5);

	private final KafkaTemplate<String, byte[]> kafka;

	private final AccountView view;

	private final KafkaWaits kafkaWaits;

	AccountService(KafkaTemplate<String, byte[]> kafka, AccountView view, KafkaWaits kafkaWaits) {
		this.kafkaWaits = kafkaWaits;
		this.kafka = kafka;
		this.view = view;
	}

	Credited credit(String customerId, CreditRequest request, @Nullable String idempotencyKey) {
		Optional<Account> existing = this.view.find(customerId);
		Currency currency = (request.currency() != null) ? Currency.getInstance(request.currency())
				: existing.map(Account::currency).orElse(DEFAULT_CURRENCY);
		if (existing.isPresent() && !existing.get().currency().equals(currency)) {
			throw problem(HttpStatus.UNPROCESSABLE_CONTENT, "Currency mismatch", "The account of " + customerId
					+ " is kept in " + existing.get().currency() + "; it cannot be credited in " + currency + ".");
		}
		String wrongAmount = Money.problem(request.amount(), currency);
		if (wrongAmount != null) {
			ErrorResponseException invalid = problem(HttpStatus.BAD_REQUEST, "Bad Request",
					"The request is not valid.");
			invalid.getBody()
				.setProperty("errors", List.of(new ApiExceptionHandler.FieldViolation("amount", wrongAmount)));
			throw invalid;
		}
		UUID commandId = (idempotencyKey != null)
				? UUID.nameUUIDFromBytes(
						("ordersaga:credit:" + customerId + ":" + idempotencyKey).getBytes(StandardCharsets.UTF_8))
				: UUID.randomUUID();
		Movement earlier = existing.map((account) -> account.movementOf(commandId)).orElse(null);
		if (earlier != null) {
			if (earlier.amount().compareTo(request.amount()) != 0) {
				throw problem(HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency key already used",
						"The Idempotency-Key '" + idempotencyKey + "' already credited " + earlier.amount()
								+ "; use a new key for a new credit.");
			}
			return new Credited(existing.get(), true, true);
		}
		send(new AccountCommand.Credit(commandId, customerId, request.amount(), currency));
		Optional<Account> credited = this.view.await(customerId, (account) -> account.movementOf(commandId) != null,
				VISIBLE_TIMEOUT);
		return credited.map((account) -> new Credited(account, false, true))
			.orElseGet(() -> new Credited(this.view.find(customerId).orElse(Account.open(customerId, currency)), false,
					false));
	}

	void send(AccountCommand command) {
		this.kafkaWaits.acknowledged(
				() -> this.kafka.send(PaymentTopics.ACCOUNT_COMMANDS, command.customerId(),
						AccountCommands.write(command)),
				SEND_TIMEOUT, "Kafka did not accept the request in time, so nothing changed. "
						+ "Retry with the same Idempotency-Key to be sure it is applied once.");
	}

	private static ErrorResponseException problem(HttpStatus status, String title, String detail) {
		ErrorResponseException ex = new ErrorResponseException(status);
		ex.getBody().setTitle(title);
		ex.getBody().setDetail(detail);
		return ex;
	}

	/**
	 * The outcome of a credit.
	 *
	 * @param account the account
	 * @param replayed whether an earlier request with the same key made the credit
	 * @param visible whether the account shows the credit yet
	 */
	record Credited(Account account, boolean replayed, boolean visible) {
	}

}
