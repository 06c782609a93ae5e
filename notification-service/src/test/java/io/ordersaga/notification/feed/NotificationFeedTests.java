package io.ordersaga.notification.feed;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.EventType;
import io.ordersaga.events.NotificationSent;
import io.ordersaga.events.NotificationSent.Channel;
import io.ordersaga.events.Topic;
import io.ordersaga.events.kafka.EventCodec;
import io.ordersaga.kafka.test.TestTopologies;
import io.ordersaga.notification.NotificationIds;
import io.ordersaga.notification.WebhookTopics;
import io.ordersaga.notification.feed.Notification.DeliveryStatus;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the feed's global stores fold what they read, in whatever order the notifications
 * and the webhook dead-letter topic are read, on the real topology with Kafka Streams'
 * test driver.
 */
class NotificationFeedTests {

	@TempDir
	Path stateDir;

	private TopologyTestDriver driver;

	private TestInputTopic<String, byte[]> notifications;

	private TestInputTopic<String, byte[]> deadLetters;

	private final List<Notification> heard = new ArrayList<>();

	private final UUID sourceEventId = UUID.randomUUID();

	private final EventEnvelope<NotificationSent> inApp = notification("alice", Channel.IN_APP);

	@BeforeEach
	void start() {
		StreamsBuilder builder = new StreamsBuilder();
		NotificationFeed.addTo(builder, true, this.heard::add);
		this.driver = TestTopologies.driver(builder.build(), "notification-service", this.stateDir, new Properties());
		this.notifications = this.driver.createInputTopic(Topic.NOTIFICATIONS.topicName(), new StringSerializer(),
				new ByteArraySerializer());
		this.deadLetters = this.driver.createInputTopic(WebhookTopics.DEAD_LETTERS, new StringSerializer(),
				new ByteArraySerializer());
	}

	@AfterEach
	void closeDriver() {
		this.driver.close();
	}

	@Test
	void aWebhookThatFailedShowsAsFailedEvenWhenItsDeadLetterIsReadBeforeTheNotification() {
		read(this.deadLetters, this.inApp);
		read(this.notifications, this.inApp);

		assertThat(this.heard).singleElement()
			.extracting(Notification::channels)
			.isEqualTo(Map.of(Channel.IN_APP, DeliveryStatus.DELIVERED, Channel.WEBHOOK, DeliveryStatus.FAILED));
		assertThat(listed("alice")).singleElement()
			.extracting(Notification::channels)
			.isEqualTo(Map.of(Channel.IN_APP, DeliveryStatus.DELIVERED, Channel.WEBHOOK, DeliveryStatus.FAILED));
	}

	@Test
	void aWebhookDeliveredOnALaterAttemptStaysDeliveredWhateverTheOrderOfTheRecords() {
		read(this.notifications, this.inApp);
		read(this.notifications, notification("alice", Channel.WEBHOOK));
		read(this.deadLetters, this.inApp);

		assertThat(listed("alice")).singleElement()
			.extracting((notification) -> notification.channels().get(Channel.WEBHOOK))
			.isEqualTo(DeliveryStatus.DELIVERED);
	}

	@Test
	void aNotificationWithoutWebhookOutcomeIsPendingOnTheWebhook() {
		read(this.notifications, this.inApp);

		assertThat(this.heard).singleElement()
			.extracting((notification) -> notification.channels().get(Channel.WEBHOOK))
			.isEqualTo(DeliveryStatus.PENDING);
	}

	@Test
	void aNotificationReadTwiceIsListedAndPublishedOnce() {
		read(this.notifications, this.inApp);
		read(this.notifications, this.inApp);

		assertThat(this.heard).hasSize(1);
		assertThat(listed("alice")).hasSize(1);
	}

	@Test
	void listsACustomersNotificationsNewestFirstUpToTheLimitAndNoOneElses() {
		EventEnvelope<NotificationSent> older = other("alice", Instant.parse("2026-01-01T00:00:00Z"));
		EventEnvelope<NotificationSent> newer = other("alice", Instant.parse("2026-01-02T00:00:00Z"));
		read(this.notifications, older);
		read(this.notifications, newer);
		// Customers whose ids begin with alice's, or contain the keys' separators.
		read(this.notifications, other("alice/x", Instant.now()));
		read(this.notifications, other("alice:x", Instant.now()));
		read(this.notifications, other("alicex", Instant.now()));

		assertThat(listed("alice")).extracting(Notification::sourceEventId)
			.containsExactly(newer.data().sourceEventId(), older.data().sourceEventId());
		assertThat(NotificationFeed.listed(store(NotificationFeed.FEED_STORE), store(NotificationFeed.FAILURES_STORE),
				"alice", 1))
			.extracting(Notification::sourceEventId)
			.containsExactly(newer.data().sourceEventId());
		assertThat(listed("alice/x")).hasSize(1);
	}

	@Test
	void skipsWhatIsNotANotificationUnderItsOwnKey() {
		this.notifications.pipeInput("some-key", "not an event".getBytes());
		this.notifications.pipeInput("other-key", EventCodec.instance().encode(this.inApp));
		this.notifications.pipeInput(this.inApp.key(), (byte[]) null);

		assertThat(this.heard).isEmpty();
		assertThat(listed("alice")).isEmpty();
	}

	private List<Notification> listed(String customerId) {
		return NotificationFeed.listed(store(NotificationFeed.FEED_STORE), store(NotificationFeed.FAILURES_STORE),
				customerId, 50);
	}

	private KeyValueStore<String, Notification> store(String name) {
		return this.driver.getKeyValueStore(name);
	}

	private EventEnvelope<NotificationSent> notification(String customerId, Channel channel) {
		return notification(customerId, channel, this.sourceEventId, Instant.now());
	}

	private static EventEnvelope<NotificationSent> other(String customerId, Instant time) {
		return notification(customerId, Channel.IN_APP, UUID.randomUUID(), time);
	}

	private static EventEnvelope<NotificationSent> notification(String customerId, Channel channel, UUID source,
			Instant time) {
		NotificationSent sent = new NotificationSent(NotificationIds.of(source, channel), customerId, channel,
				"Your order is confirmed", "Order confirmed.", source, "OrderConfirmed");
		UUID id = UUID.randomUUID();
		return new EventEnvelope<>(id, "/notification-service", time, UUID.randomUUID(), id, null,
				EventType.of(sent).schemaVersion(), sent);
	}

	private static void read(TestInputTopic<String, byte[]> topic, EventEnvelope<NotificationSent> event) {
		topic.pipeInput(event.key(), EventCodec.instance().encode(event));
	}

}
