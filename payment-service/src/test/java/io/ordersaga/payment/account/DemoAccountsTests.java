package io.ordersaga.payment.account;

import java.time.Duration;

import io.ordersaga.support.web.BrokerUnavailableException;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.boot.DefaultApplicationArguments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.willThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

class DemoAccountsTests {

	@Test
	void keepsTryingUntilKafkaTakesEveryOpening() throws Exception {
		AccountService accounts = mock(AccountService.class);
		BrokerUnavailableException unavailable = new BrokerUnavailableException("no topic yet", null);
		willThrow(unavailable, unavailable).willDoNothing().given(accounts).send(any());

		new DemoAccounts(accounts, Duration.ofMillis(1)).run(new DefaultApplicationArguments());

		ArgumentCaptor<AccountCommand> sent = ArgumentCaptor.forClass(AccountCommand.class);
		verify(accounts, times(5)).send(sent.capture());
		assertThat(sent.getAllValues()).extracting(AccountCommand::customerId)
			.containsExactly("alice", "alice", "alice", "bob", "carol");
	}

}
