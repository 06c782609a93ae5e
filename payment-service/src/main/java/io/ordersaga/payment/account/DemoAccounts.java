package io.ordersaga.payment.account;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Currency;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * Opens the demo accounts — alice with 1000.00 EUR, bob with 100.00 EUR, carol with 0.00
 * EUR — on every start. Opening is idempotent (a fixed command id per customer, and an
 * existing account is never reopened), so a restart never resets a balance.
 *
 * <p>
 * Each opening is retried until Kafka takes it: on a first start the commands topic may
 * not exist yet (it is created in the background). The service reports itself ready only
 * once they are all written, so a demo that starts when the service is healthy finds the
 * accounts.
 */
@Component
@ConditionalOnBooleanProperty(name = "ordersaga.payments.demo-accounts", matchIfMissing = true)
class DemoAccounts implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(DemoAccounts.class);

	private static final Currency EUR = Currency.getInstance("EUR");

	private static final Duration LONGEST_PAUSE = Duration.ofSeconds(10);

	private final AccountService accounts;

	private final Duration firstPause;

	@Autowired
	DemoAccounts(AccountService accounts) {
		this(accounts, Duration.ofMillis(500));
	}

	DemoAccounts(AccountService accounts, Duration firstPause) {
		this.accounts = accounts;
		this.firstPause = firstPause;
	}

	@Override
	public void run(ApplicationArguments args) throws InterruptedException {
		open("alice", "1000.00");
		open("bob", "100.00");
		open("carol", "0.00");
	}

	private void open(String customerId, String balance) throws InterruptedException {
		UUID commandId = UUID
			.nameUUIDFromBytes(("ordersaga:demo-account:" + customerId).getBytes(StandardCharsets.UTF_8));
		AccountCommand.Open open = new AccountCommand.Open(commandId, customerId, EUR, new BigDecimal(balance));
		Duration pause = this.firstPause;
		for (int attempt = 1;; attempt++) {
			try {
				this.accounts.send(open);
				return;
			}
			catch (RuntimeException ex) {
				logger.warn("Could not open the demo account of {} yet (attempt {}), trying again in {} ms: {}",
						customerId, attempt, pause.toMillis(), ex.getMessage());
				Thread.sleep(pause);
				pause = (pause.compareTo(LONGEST_PAUSE.dividedBy(2)) < 0) ? pause.multipliedBy(2) : LONGEST_PAUSE;
			}
		}
	}

}
