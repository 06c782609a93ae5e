package io.ordersaga.notification.feed;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.NotificationSent;
import io.ordersaga.events.NotificationSent.Channel;
import io.ordersaga.events.Topic;
import io.ordersaga.events.kafka.EventCodec;
import io.ordersaga.notification.NotificationIds;
import io.ordersaga.notification.NotificationProperties;
import io.ordersaga.notification.feed.Notification.DeliveryStatus;
import io.ordersaga.notification.WebhookTopics;
import io.ordersaga.support.web.BrokerUnavailableException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How the feed folds the records it reads, in whatever order a replay reads the
 * notifications and the webhook dead-letter topic.
 */
class NotificationFeedTests {

	private final NotificationFeed feed = new NotificationFeed(new KafkaProperties(),
			new NotificationProperties(URI.create("http://localhost/hook"), Duration.ofSeconds(5),
					new NotificationProperties.Streams(256, 4, Duration.ofSeconds(15), 64)));

	private final List<Notification> heard = new ArrayList<>();

	private final UUID sourceEventId = UUID.randomUUID();

	private final EventEnvelope<NotificationSent> inApp = notification(Channel.IN_APP);

	NotificationFeedTests() {
		this.feed.subscribe("alice", this.heard::add);
	}

	@AfterEach
	void closeFeed() {
		this.feed.close();
	}

	@Test
	void aWebhookThatFailedShowsAsFailedEvenWhenItsDeadLetterIsReadBeforeTheNotification() {
		read(WebhookTopics.DEAD_LETTERS, this.inApp);
		read(Topic.NOTIFICATIONS.topicName(), this.inApp);

		assertThat(this.heard).singleElement()
			.extracting(Notification::channels)
			.isEqualTo(Map.of(Channel.IN_APP, DeliveryStatus.DELIVERED, Channel.WEBHOOK, DeliveryStatus.FAILED));
	}

	@Test
	void aWebhookDeliveredOnALaterAttemptStaysDeliveredWhateverTheOrderOfTheRecords() {
		read(WebhookTopics.DEAD_LETTERS, this.inApp);
		read(Topic.NOTIFICATIONS.topicName(), notification(Channel.WEBHOOK));
		read(Topic.NOTIFICATIONS.topicName(), this.inApp);

		assertThat(this.heard).singleElement()
			.extracting((notification) -> notification.channels().get(Channel.WEBHOOK))
			.isEqualTo(DeliveryStatus.DELIVERED);
	}

	@Test
	void aListingIsRefusedWhileTheFeedHasNotReadWhatTheTopicsHeldNeverAnsweredInPart() {
		read(Topic.NOTIFICATIONS.topicName(), this.inApp);

		assertThatExceptionOfType(BrokerUnavailableException.class).isThrownBy(() -> this.feed.of("alice", 20))
			.satisfies((ex) -> assertThat(ex.getStatusCode().value()).isEqualTo(503));
	}

	@Test
	void aCustomersEntryGoesWithTheirLastSubscriber() {
		Runnable first = this.feed.subscribe("bob", (notification) -> {
		});
		Runnable second = this.feed.subscribe("bob", (notification) -> {
		});
		assertThat(this.feed.subscribedCustomers()).isEqualTo(2);

		first.run();
		assertThat(this.feed.subscribedCustomers()).isEqualTo(2);
		second.run();

		assertThat(this.feed.subscribedCustomers()).isEqualTo(1);
	}

	@Test
	void aNotificationWithoutWebhookOutcomeIsPendingOnTheWebhook() {
		read(Topic.NOTIFICATIONS.topicName(), this.inApp);

		assertThat(this.heard).singleElement()
			.extracting((notification) -> notification.channels().get(Channel.WEBHOOK))
			.isEqualTo(DeliveryStatus.PENDING);
	}

	private EventEnvelope<NotificationSent> notification(Channel channel) {
		return EventEnvelope.first("/notification-service", UUID.randomUUID(),
				new NotificationSent(NotificationIds.of(this.sourceEventId, channel), "alice", channel,
						"Your order is confirmed", "Order confirmed.", this.sourceEventId, "OrderConfirmed"));
	}

	private void read(String topic, EventEnvelope<NotificationSent> event) {
		this.feed.apply(new ConsumerRecord<>(topic, 0, 0, event.key(), EventCodec.instance().encode(event)));
	}

}
