package io.ordersaga.notification;

import io.ordersaga.events.Topic;
import io.ordersaga.events.TopicCatalogue;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The webhook's topics are the catalogue's, which is what creates them. */
class WebhookTopicsTests {

	@Test
	void everyTopicIsInTheCatalogue() {
		assertThat(TopicCatalogue.find(WebhookTopics.DELIVERIES)).isPresent();
		assertThat(TopicCatalogue.find(WebhookTopics.DELIVERED)).isPresent();
		assertThat(TopicCatalogue.find(WebhookTopics.DELIVERED_DEAD_LETTERS)).isPresent();
		// The feed shows a failed delivery from it, so it keeps every record.
		assertThat(TopicCatalogue.entry(WebhookTopics.DEAD_LETTERS).configs())
			.containsAllEntriesOf(Topic.KEEP_EVERY_RECORD);
	}

}
