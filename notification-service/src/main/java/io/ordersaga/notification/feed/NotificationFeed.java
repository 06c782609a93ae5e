package io.ordersaga.notification.feed;

import java.time.Duration;
import java.util.ArrayList;
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
import io.ordersaga.events.kafka.EventCodec;
import io.ordersaga.events.kafka.EventDeserializationException;
import io.ordersaga.notification.NotificationProperties;
import io.ordersaga.notification.WebhookTopics;
import io.ordersaga.support.streams.StateSerdes;
import io.ordersaga.support.web.BrokerUnavailableException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;

/**
 * Every customer's notifications, kept by the service's Kafka Streams in two global
 * stores, so every instance holds them all and answers for any customer, and history
 * survives restarts: {@value #FEED_STORE} folds {@code notifications} (the in-app
 * notifications, listed per customer newest first, and each webhook delivery made) and
 * {@value #FAILURES_STORE} the webhook dead-letter topic (deliveries that failed). A
 * notification's webhook status is read from both when it is shown, so it does not matter
 * in which order the two topics are read. Subscribers (the server-sent-events streams)
 * hear of each new notification as it is folded.
 *
 * <p>
 * A global store is restored, by reading its topic through its fold, before Kafka Streams
 * runs; until then a listing is refused with 503 rather than answered with a shorter
 * history.
 */
@Component
public class NotificationFeed {

	/** The notifications, by source event and by customer, and the webhook deliveries. */
	static final String FEED_STORE = "notification-feed";

	/** The webhook deliveries that failed, by source event. */
	static final String FAILURES_STORE = "webhook-failures";

	private static final Logger logger = LoggerFactory.getLogger(NotificationFeed.class);

	private static final Duration RESTORE_WAIT = Duration.ofSeconds(5);

	private final StreamsBuilderFactoryBean streams;

	private final Map<String, List<Consumer<Notification>>> subscribers = new ConcurrentHashMap<>();

	NotificationFeed(StreamsBuilder builder, StreamsBuilderFactoryBean streams, NotificationProperties properties) {
		this.streams = streams;
		addTo(builder, properties.webhookEnabled(), this::published);
	}

	/**
	 * Adds the feed's global stores and their folds to a topology.
	 * @param builder the service's topology
	 * @param webhook whether notifications go to the webhook too, and so show its status
	 * @param published hears of each notification folded for the first time
	 */
	static void addTo(StreamsBuilder builder, boolean webhook, Consumer<Notification> published) {
		Consumed<String, byte[]> raw = Consumed.with(Serdes.String(), Serdes.ByteArray());
		builder.addGlobalStore(store(FEED_STORE), Topic.NOTIFICATIONS.topicName(),
				raw.withName("notification-feed-source"), () -> new FeedFold(webhook, published));
		builder.addGlobalStore(store(FAILURES_STORE), WebhookTopics.DEAD_LETTERS,
				raw.withName("webhook-failures-source"), FailureFold::new);
	}

	private static StoreBuilder<KeyValueStore<String, Notification>> store(String name) {
		// A global store is restored from its source topic; it has no changelog.
		return Stores
			.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(),
					StateSerdes.json(Notification.class))
			.withLoggingDisabled();
	}

	/**
	 * A customer's notifications, newest first.
	 * @param customerId the customer
	 * @param limit how many at most
	 * @return the notifications
	 * @throws BrokerUnavailableException (503) if the stores are not restored yet, or
	 * Kafka Streams is not running
	 */
	public List<Notification> of(String customerId, int limit) {
		long deadline = System.nanoTime() + RESTORE_WAIT.toNanos();
		RuntimeException last = null;
		do {
			KafkaStreams running = this.streams.getKafkaStreams();
			if (running != null && running.state().isRunningOrRebalancing()) {
				try {
					return listed(store(running, FEED_STORE), store(running, FAILURES_STORE), customerId, limit);
				}
				catch (InvalidStateStoreException ex) {
					last = ex;
				}
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		while (System.nanoTime() - deadline < 0);
		throw new BrokerUnavailableException("notification-service is still reading the notifications written "
				+ "before it started; retry shortly.", last);
	}

	private static ReadOnlyKeyValueStore<String, Notification> store(KafkaStreams running, String name) {
		return running.store(
				StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, Notification>keyValueStore()));
	}

	/**
	 * A customer's notifications from the stores, newest first, each with its webhook
	 * status.
	 * @param feed the {@value #FEED_STORE} store
	 * @param failures the {@value #FAILURES_STORE} store
	 * @param customerId the customer
	 * @param limit how many at most
	 * @return the notifications
	 */
	static List<Notification> listed(ReadOnlyKeyValueStore<String, Notification> feed,
			ReadOnlyKeyValueStore<String, Notification> failures, String customerId, int limit) {
		List<Notification> listed = new ArrayList<>();
		try (KeyValueIterator<String, Notification> entries = feed.prefixScan(ListingKeys.prefix("c", customerId),
				new StringSerializer())) {
			while (entries.hasNext() && listed.size() < limit) {
				Notification notification = entries.next().value;
				if (notification != null) {
					listed.add(withWebhookStatus(notification, feed, failures));
				}
			}
		}
		return listed;
	}

	/** A delivery on a later attempt wins over a failure; neither known, as recorded. */
	private static Notification withWebhookStatus(Notification notification,
			ReadOnlyKeyValueStore<String, Notification> feed, ReadOnlyKeyValueStore<String, Notification> failures) {
		UUID source = notification.sourceEventId();
		if (feed.get(deliveredKey(source)) != null) {
			return notification.with(Channel.WEBHOOK, Notification.DeliveryStatus.DELIVERED);
		}
		if (failures.get(source.toString()) != null) {
			return notification.with(Channel.WEBHOOK, Notification.DeliveryStatus.FAILED);
		}
		return notification;
	}

	/**
	 * Hears of each notification for a customer folded from now on.
	 * @param customerId the customer
	 * @param subscriber what to call, on Kafka Streams' global thread; it must not block
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

	private void published(Notification notification) {
		this.subscribers.getOrDefault(notification.customerId(), List.of()).forEach((s) -> s.accept(notification));
	}

	private static String notificationKey(UUID sourceEventId) {
		return "n/" + sourceEventId;
	}

	private static String deliveredKey(UUID sourceEventId) {
		return "w/" + sourceEventId;
	}

	/**
	 * The notification a record holds.
	 * @return it, or empty for a tombstone or a record that is not a notification of the
	 * contract under its own key (the topic's writer is this service; another writer's
	 * record shows nowhere)
	 */
	private static Optional<EventEnvelope<NotificationSent>> notification(Record<String, byte[]> record) {
		if (record.value() == null) {
			return Optional.empty();
		}
		try {
			// Any type: the webhook dead-letter topic is not in the catalogue.
			EventEnvelope<?> event = EventCodec.instance().decode(null, record.value());
			if (event.data() instanceof NotificationSent && event.key().equals(record.key())) {
				@SuppressWarnings("unchecked")
				EventEnvelope<NotificationSent> sent = (EventEnvelope<NotificationSent>) event;
				return Optional.of(sent);
			}
		}
		catch (EventDeserializationException ex) {
			logger.debug("Skipping a record that is not an event: {}", ex.getMessage());
		}
		return Optional.empty();
	}

	/** Folds {@code notifications} into {@value #FEED_STORE}. */
	private static final class FeedFold implements Processor<String, byte[], Void, Void> {

		private final boolean webhook;

		private final Consumer<Notification> published;

		private @Nullable KeyValueStore<String, Notification> feed;

		private @Nullable ReadOnlyKeyValueStore<String, Notification> failures;

		FeedFold(boolean webhook, Consumer<Notification> published) {
			this.webhook = webhook;
			this.published = published;
		}

		@Override
		public void init(ProcessorContext<Void, Void> context) {
			this.feed = context.getStateStore(FEED_STORE);
			this.failures = context.getStateStore(FAILURES_STORE);
		}

		@Override
		public void process(Record<String, byte[]> record) {
			KeyValueStore<String, Notification> store = Objects.requireNonNull(this.feed, "init first");
			ReadOnlyKeyValueStore<String, Notification> failed = Objects.requireNonNull(this.failures, "init first");
			notification(record).ifPresent((event) -> {
				NotificationSent sent = event.data();
				Notification recorded = Notification.recorded(event, this.webhook);
				if (sent.channel() == Channel.WEBHOOK) {
					store.put(deliveredKey(sent.sourceEventId()), recorded);
				}
				else if (store.putIfAbsent(notificationKey(sent.sourceEventId()), recorded) == null) {
					store.put(ListingKeys.prefix("c", sent.customerId()) + ListingKeys.newestFirst(recorded.time())
							+ "/" + sent.sourceEventId(), recorded);
					this.published.accept(withWebhookStatus(recorded, store, failed));
				}
			});
		}

	}

	/** Folds the webhook dead-letter topic into {@value #FAILURES_STORE}. */
	private static final class FailureFold implements Processor<String, byte[], Void, Void> {

		private @Nullable KeyValueStore<String, Notification> failures;

		@Override
		public void init(ProcessorContext<Void, Void> context) {
			this.failures = context.getStateStore(FAILURES_STORE);
		}

		@Override
		public void process(Record<String, byte[]> record) {
			KeyValueStore<String, Notification> store = Objects.requireNonNull(this.failures, "init first");
			notification(record).ifPresent(
					(event) -> store.put(event.data().sourceEventId().toString(), Notification.recorded(event, true)));
		}

	}

}
