package io.ordersaga.notification.feed;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.NotificationSent;
import io.ordersaga.events.NotificationSent.Channel;
import io.ordersaga.events.Topic;
import io.ordersaga.notification.NotificationProperties;
import io.ordersaga.notification.WebhookTopics;
import io.ordersaga.support.ReadModelStore;
import io.ordersaga.support.TopicFollower;
import io.ordersaga.support.web.BrokerUnavailableException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * Every customer's notifications, read by each instance from {@code notifications}
 * (in-app notifications and webhook deliveries) and from the webhook dead-letter topic
 * (deliveries that failed), so history survives restarts and any instance answers.
 * Subscribers — the server-sent-events streams — hear of each new notification as it is
 * read.
 */
@Component
public class NotificationFeed extends TopicFollower {

	private static final Duration REPLAY_WAIT = Duration.ofSeconds(5);

	private final boolean webhook;

	private final ReadModelStore.Table<Notification> bySourceEvent = store().table('n', Notification.class);

	private final ReadModelStore.Listings byCustomer = store().listings('c');

	private final Map<String, List<Consumer<Notification>>> subscribers = new ConcurrentHashMap<>();

	/**
	 * Webhook outcomes read before their notification, by source event: the dead-letter
	 * topic is another topic than {@code notifications}, and nothing orders the two when
	 * they are replayed.
	 */
	private final ReadModelStore.Table<Notification.DeliveryStatus> early = store().table('e',
			Notification.DeliveryStatus.class);

	NotificationFeed(KafkaProperties kafka, NotificationProperties properties) {
		super("notification-feed", List.of(Topic.NOTIFICATIONS.topicName(), WebhookTopics.DEAD_LETTERS), kafka);
		this.webhook = properties.webhookEnabled();
	}

	/**
	 * A customer's notifications, newest first.
	 * @param customerId the customer
	 * @param limit how many at most
	 * @return the notifications
	 * @throws BrokerUnavailableException (503) if the feed has not read what the topics
	 * held when the instance started, or is not reading them now
	 */
	public List<Notification> of(String customerId, int limit) {
		// An instance still replaying the topics after a start answers once it has read
		// what they held then, never with a shorter history than before the start.
		requireFollowing();
		if (!awaitCaughtUp(REPLAY_WAIT)) {
			throw new BrokerUnavailableException("notification-service is still reading the notifications written "
					+ "before it started; retry shortly.", null);
		}
		return this.bySourceEvent.getAll(this.byCustomer.of(customerId, limit))
			.stream()
			.filter(Objects::nonNull)
			.toList();
	}

	/**
	 * Hears of each notification for a customer read from now on.
	 * @param customerId the customer
	 * @param subscriber what to call, on the feed's thread; it must not block
	 * @return what to run to stop hearing
	 */
	public Runnable subscribe(String customerId, Consumer<Notification> subscriber) {
		this.subscribers.compute(customerId, (id, list) -> {
			List<Consumer<Notification>> subscribed = (list != null) ? list : new CopyOnWriteArrayList<>();
			subscribed.add(subscriber);
			return subscribed;
		});
		// A customer's entry goes with their last subscriber.
		return () -> this.subscribers.computeIfPresent(customerId, (id, list) -> {
			list.remove(subscriber);
			return list.isEmpty() ? null : list;
		});
	}

	/**
	 * How many customers have a subscriber.
	 * @return the count
	 */
	int subscribedCustomers() {
		return this.subscribers.size();
	}

	@Override
	protected void fold(ConsumerRecord<String, byte[]> record) {
		// Any type: the webhook dead-letter topic is not in the catalogue.
		Optional<EventEnvelope<?>> read = event(record, null);
		if (read.isEmpty() || !(read.get().data() instanceof NotificationSent sent)) {
			return;
		}
		EventEnvelope<?> event = read.get();
		if (WebhookTopics.DEAD_LETTERS.equals(record.topic())) {
			webhook(sent.sourceEventId(), Notification.DeliveryStatus.FAILED);
		}
		else if (sent.channel() == Channel.WEBHOOK) {
			webhook(sent.sourceEventId(), Notification.DeliveryStatus.DELIVERED);
		}
		else if (this.bySourceEvent.get(sent.sourceEventId()) == null) {
			@SuppressWarnings("unchecked")
			Notification recorded = Notification.recorded((EventEnvelope<NotificationSent>) event, this.webhook);
			Notification.DeliveryStatus webhookStatus = this.early.get(sent.sourceEventId());
			if (webhookStatus != null) {
				this.early.remove(sent.sourceEventId());
			}
			Notification notification = (webhookStatus != null) ? recorded.with(Channel.WEBHOOK, webhookStatus)
					: recorded;
			this.bySourceEvent.put(sent.sourceEventId(), notification);
			this.byCustomer.add(sent.customerId(), notification.time(), sent.sourceEventId());
			this.subscribers.getOrDefault(sent.customerId(), List.of()).forEach((s) -> s.accept(notification));
		}
	}

	private void webhook(UUID sourceEventId, Notification.DeliveryStatus status) {
		Notification notification = this.bySourceEvent.get(sourceEventId);
		if (notification == null) {
			this.early.put(sourceEventId, latest(this.early.get(sourceEventId), status));
		}
		else {
			this.bySourceEvent.put(sourceEventId,
					notification.with(Channel.WEBHOOK, latest(notification.channels().get(Channel.WEBHOOK), status)));
		}
	}

	/** A failure never overrides a delivery: a retry that succeeded wins. */
	private static Notification.DeliveryStatus latest(Notification.@Nullable DeliveryStatus known,
			Notification.DeliveryStatus update) {
		return (known == Notification.DeliveryStatus.DELIVERED) ? known : update;
	}

}
