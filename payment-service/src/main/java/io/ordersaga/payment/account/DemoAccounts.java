package io.ordersaga.payment.account;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Currency;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * Opens the demo accounts — alice with 1000.00 EUR, bob with 100.00 EUR, carol with 0.00
 * EUR — on every start. Opening is idempotent (a fixed command id per customer, and an
 * existing account is never reopened), so a restart never resets a balance.
 */
@Component
@ConditionalOnBooleanProperty(name = "ordersaga.payments.demo-accounts", matchIfMissing = true)
class DemoAccounts implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(DemoAccounts.class);

	private static final Currency EUR = Currency.getInstance("EUR");

	private final AccountService accounts;

	DemoAccounts(AccountService accounts) {
		this.accounts = accounts;
	}

	@Override
	public void run(ApplicationArguments args) {
		open("alice", "1000.00");
		open("bob", "100.00");
		open("carol", "0.00");
	}

	private void open(String customerId, String balance) {
		UUID commandId = UUID
			.nameUUIDFromBytes(("ordersaga:demo-account:" + customerId).getBytes(StandardCharsets.UTF_8));
		try {
			this.accounts.send(new AccountCommand.Open(commandId, customerId, EUR, new BigDecimal(balance)));
		}
		catch (RuntimeException ex) {
			logger.warn("Could not open the demo account of {}: {}", customerId, ex.getMessage());
		}
	}

}
