package io.ordersaga.order.view;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.OrderCancelled;
import io.ordersaga.events.OrderConfirmed;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.PaymentEvent;
import io.ordersaga.events.Topic;
import io.ordersaga.events.kafka.EventCodec;
import io.ordersaga.events.kafka.EventDeserializationException;
import io.ordersaga.order.OrderStatus;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The read side: every instance of order-service reads all partitions of {@code orders}
 * and {@code payments} (committed records only) from the beginning and folds them into an
 * {@link OrderView} per order. The topics are the system of record, so the views survive
 * any restart, and any instance answers for any order.
 *
 * <p>
 * Views lag the log by the time it takes to read it. To give read-your-writes, a caller
 * that just wrote (or a lookup that finds nothing) waits until the projection has read up
 * to the end of the order's partition; see {@link #findAfterCatchingUp(UUID, Duration)}.
 */
@Component
public class OrderProjection implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(OrderProjection.class);

	private static final List<String> TOPICS = List.of(Topic.ORDERS.topicName(), Topic.PAYMENTS.topicName());

	private final Map<String, Object> consumerConfig;

	private final Map<String, Object> adminConfig;

	private final Map<UUID, OrderView> orders = new ConcurrentHashMap<>();

	private final Map<String, Set<Listing>> byCustomer = new ConcurrentHashMap<>();

	/** Payment events read before their order; touched by the projection thread only. */
	private final Map<UUID, List<OrderView.HistoryEntry>> early = new HashMap<>();

	private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();

	private final Object progress = new Object();

	private volatile @Nullable KafkaConsumer<String, byte[]> consumer;

	private volatile @Nullable Thread thread;

	private volatile boolean caughtUp;

	private @Nullable Admin admin;

	public OrderProjection(KafkaProperties kafka) {
		this.consumerConfig = new HashMap<>(kafka.buildConsumerProperties());
		this.consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
		this.consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		this.consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
		this.consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "order-projection-" + UUID.randomUUID());
		this.adminConfig = new HashMap<>(kafka.buildAdminProperties());
	}

	/**
	 * The order as read so far.
	 * @param orderId the order's id
	 * @return the view, or empty if the projection has not read the order (yet)
	 */
	public Optional<OrderView> find(UUID orderId) {
		return Optional.ofNullable(this.orders.get(orderId));
	}

	/**
	 * The order, after reading everything already written to its partition. An order that
	 * was accepted before this call is found, whichever instance accepted it.
	 * @param orderId the order's id
	 * @param maxWait how long to wait for the projection to catch up
	 * @return the view, or empty if the order does not exist
	 */
	public Optional<OrderView> findAfterCatchingUp(UUID orderId, Duration maxWait) {
		Optional<OrderView> view = find(orderId);
		if (view.isPresent()) {
			return view;
		}
		TopicPartition partition = partitionOf(orderId);
		awaitPosition(partition, endOffset(partition, maxWait), maxWait);
		return find(orderId);
	}

	/**
	 * Waits until the projection has read a partition up to an offset.
	 * @param partition the partition
	 * @param offset the offset to reach (the one after the last record to be read)
	 * @param maxWait how long to wait at most
	 * @return whether the offset was reached in time
	 */
	public boolean awaitPosition(TopicPartition partition, long offset, Duration maxWait) {
		long deadline = System.nanoTime() + maxWait.toNanos();
		synchronized (this.progress) {
			while (this.positions.getOrDefault(partition, -1L) < offset) {
				long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
				if (remaining <= 0) {
					return false;
				}
				try {
					this.progress.wait(remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
		}
		return true;
	}

	/**
	 * A customer's orders, newest first.
	 * @param customerId the customer
	 * @param status only orders in this status, or all if {@code null}
	 * @param page the page number, from 0
	 * @param size the page size
	 * @return the page
	 */
	public OrderPage ordersOf(String customerId, @Nullable OrderStatus status, int page, int size) {
		List<OrderView> matching = this.byCustomer.getOrDefault(customerId, Set.of())
			.stream()
			.map((listing) -> this.orders.get(listing.orderId()))
			.filter((view) -> view != null && (status == null || view.status() == status))
			.toList();
		List<OrderView> content = matching.stream().skip((long) page * size).limit(size).toList();
		return OrderPage.of(content, page, size, matching.size());
	}

	/**
	 * Whether the projection has read everything that was in the topics when it started.
	 * @return {@code true} once caught up
	 */
	public boolean isCaughtUp() {
		return this.caughtUp;
	}

	static TopicPartition partitionOf(UUID orderId) {
		byte[] key = orderId.toString().getBytes(StandardCharsets.UTF_8);
		// The producer's default partitioner for keyed records.
		return new TopicPartition(Topic.ORDERS.topicName(),
				Utils.toPositive(Utils.murmur2(key)) % Topic.ORDERS.partitions());
	}

	private long endOffset(TopicPartition partition, Duration maxWait) {
		try {
			return admin()
				.listOffsets(Map.of(partition, OffsetSpec.latest()),
						new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
				.partitionResult(partition)
				.get(maxWait.toMillis(), TimeUnit.MILLISECONDS)
				.offset();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Long.MAX_VALUE;
		}
		catch (ExecutionException | java.util.concurrent.TimeoutException ex) {
			logger.warn("Could not read the end of {}: {}", partition, ex.getMessage());
			return Long.MAX_VALUE;
		}
	}

	private synchronized Admin admin() {
		if (this.admin == null) {
			this.admin = Admin.create(this.adminConfig);
		}
		return this.admin;
	}

	@Override
	public void start() {
		KafkaConsumer<String, byte[]> kafkaConsumer = new KafkaConsumer<>(this.consumerConfig, new StringDeserializer(),
				new ByteArrayDeserializer());
		this.consumer = kafkaConsumer;
		Thread projection = new Thread(() -> run(kafkaConsumer), "order-projection");
		projection.setDaemon(true);
		this.thread = projection;
		projection.start();
	}

	private void run(KafkaConsumer<String, byte[]> kafkaConsumer) {
		try (kafkaConsumer) {
			List<TopicPartition> partitions = assignAll(kafkaConsumer);
			Map<TopicPartition, Long> startingEnd = kafkaConsumer.endOffsets(partitions);
			while (true) {
				for (ConsumerRecord<String, byte[]> record : kafkaConsumer.poll(Duration.ofMillis(100))) {
					apply(record);
				}
				synchronized (this.progress) {
					for (TopicPartition partition : partitions) {
						this.positions.put(partition, kafkaConsumer.position(partition));
					}
					this.progress.notifyAll();
				}
				if (!this.caughtUp && startingEnd.entrySet()
					.stream()
					.allMatch((end) -> this.positions.getOrDefault(end.getKey(), 0L) >= end.getValue())) {
					this.caughtUp = true;
					logger.info("Order projection caught up: {} orders", this.orders.size());
				}
			}
		}
		catch (WakeupException | InterruptException ex) {
			logger.debug("Order projection stopped");
		}
		catch (RuntimeException ex) {
			logger.error("Order projection failed", ex);
		}
	}

	/**
	 * Assigns every partition of the topics, waiting for the broker as long as it takes:
	 * an instance started before Kafka catches up once Kafka is there.
	 */
	private List<TopicPartition> assignAll(KafkaConsumer<String, byte[]> kafkaConsumer) {
		while (true) {
			try {
				List<TopicPartition> partitions = new ArrayList<>();
				for (String topic : TOPICS) {
					kafkaConsumer.partitionsFor(topic, Duration.ofSeconds(5))
						.forEach((info) -> partitions.add(new TopicPartition(info.topic(), info.partition())));
				}
				if (partitions.isEmpty()) {
					throw new TimeoutException("The topics " + TOPICS + " do not exist yet");
				}
				kafkaConsumer.assign(partitions);
				kafkaConsumer.seekToBeginning(partitions);
				return partitions;
			}
			catch (TimeoutException ex) {
				logger.warn("Order projection waiting for Kafka: {}", ex.getMessage());
			}
		}
	}

	private void apply(ConsumerRecord<String, byte[]> record) {
		if (record.value() == null) {
			return;
		}
		EventEnvelope<?> event;
		try {
			event = EventCodec.instance().decode(record.topic(), record.value());
		}
		catch (EventDeserializationException ex) {
			// The saga sends it to the dead-letter topic; the view has nothing to show
			// for it.
			logger.debug("Skipping unreadable record {}-{}@{}", record.topic(), record.partition(), record.offset());
			return;
		}
		UUID orderId = event.orderId();
		OrderView view = this.orders.get(orderId);
		OrderView.HistoryEntry entry = OrderView.HistoryEntry.of(event);
		switch (event.data()) {
			case OrderPlaced placed -> {
				if (view == null) {
					@SuppressWarnings("unchecked")
					OrderView created = OrderView.placed((EventEnvelope<OrderPlaced>) event);
					List<OrderView.HistoryEntry> earlier = this.early.remove(orderId);
					this.orders.put(orderId, (earlier != null) ? created.withHistory(earlier) : created);
					this.byCustomer.computeIfAbsent(placed.customerId(), (id) -> new ConcurrentSkipListSet<>())
						.add(new Listing(event.time(), orderId));
				}
			}
			case OrderConfirmed confirmed -> {
				if (view != null && !view.status().isFinal()) {
					this.orders.put(orderId, view.ended(OrderStatus.CONFIRMED, null, entry));
				}
			}
			case OrderCancelled cancelled -> {
				if (view != null && !view.status().isFinal()) {
					this.orders.put(orderId, view.ended(OrderStatus.CANCELLED, cancelled.reason().code(), entry));
				}
			}
			case PaymentEvent payment -> {
				if (view != null) {
					this.orders.put(orderId, view.withHistory(List.of(entry)));
				}
				else {
					this.early.computeIfAbsent(orderId, (id) -> new ArrayList<>()).add(entry);
				}
			}
			default -> {
			}
		}
	}

	@Override
	public void stop() {
		KafkaConsumer<String, byte[]> kafkaConsumer = this.consumer;
		if (kafkaConsumer != null) {
			kafkaConsumer.wakeup();
		}
		Thread projection = this.thread;
		if (projection != null) {
			try {
				projection.join(5000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		synchronized (this) {
			if (this.admin != null) {
				this.admin.close(Duration.ofSeconds(1));
				this.admin = null;
			}
		}
		this.thread = null;
		this.consumer = null;
	}

	@Override
	public boolean isRunning() {
		return this.thread != null;
	}

	/** A customer's order in the listing index: newest first, then by id. */
	record Listing(Instant placedAt, UUID orderId) implements Comparable<Listing> {

		private static final Comparator<Listing> NEWEST_FIRST = Comparator.comparing(Listing::placedAt)
			.reversed()
			.thenComparing(Listing::orderId);

		@Override
		public int compareTo(Listing other) {
			return NEWEST_FIRST.compare(this, other);
		}

	}

}
