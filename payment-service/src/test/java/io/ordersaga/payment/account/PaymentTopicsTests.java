package io.ordersaga.payment.account;

import io.ordersaga.events.TopicCatalogue;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** payment-service's own topics are the catalogue's, which is what creates them. */
class PaymentTopicsTests {

	@Test
	void everyTopicIsInTheCatalogue() {
		assertThat(TopicCatalogue.find(PaymentTopics.ACCOUNT_COMMANDS)).isPresent();
		assertThat(TopicCatalogue.find(PaymentTopics.ACCOUNT_COMMANDS_DLT)).isPresent();
		assertThat(TopicCatalogue.entry(PaymentTopics.ACCOUNTS).configs()).containsEntry("cleanup.policy", "compact");
	}

}
