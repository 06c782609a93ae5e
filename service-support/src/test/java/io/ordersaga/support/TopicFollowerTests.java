package io.ordersaga.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.ordersaga.kafka.test.TestKafkaBroker;
import io.ordersaga.support.web.BrokerUnavailableException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** Callers wait until a follower on a real broker has read what they need. */
class TopicFollowerTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private final String topic = TestKafkaBroker.uniqueName("followed");

	private final Set<String> read = ConcurrentHashMap.newKeySet();

	private KafkaProducer<String, String> producer;

	private TopicFollower follower;

	@BeforeEach
	void startFollowing() {
		TestKafkaBroker.createTopics(2, this.topic);
		this.follower = follower(kafka(), this.read);
		this.follower.start();
		this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
				TestKafkaBroker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(),
				new StringSerializer());
	}

	@AfterEach
	void stopFollowing() {
		this.producer.close();
		this.follower.close();
	}

	@Test
	void eachOfManyWaitersIsReleasedOnceItsOwnRecordHasBeenRead() throws Exception {
		try (ExecutorService callers = Executors.newFixedThreadPool(32)) {
			List<Future<Boolean>> answers = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				String value = "record-" + i;
				answers.add(callers.submit(() -> {
					RecordMetadata written = send(value);
					TopicPartition partition = new TopicPartition(written.topic(), written.partition());
					return this.follower.awaitPosition(partition, written.offset() + 1, WAIT)
							&& this.read.contains(value);
				}));
			}
			for (Future<Boolean> answer : answers) {
				assertThat(answer.get()).isTrue();
			}
		}
		assertThat(this.follower.waitingReaders()).isZero();
	}

	@Test
	void aWaiterWhoseRecordNeverComesGivesUpAndLeavesNothingBehind() throws Exception {
		RecordMetadata written = send("only");
		TopicPartition partition = new TopicPartition(written.topic(), written.partition());

		assertThat(this.follower.awaitPosition(partition, written.offset() + 1, WAIT)).isTrue();
		assertThat(this.follower.awaitPosition(partition, written.offset() + 2, Duration.ofMillis(300))).isFalse();
		assertThat(this.follower.waitingReaders()).isZero();
	}

	@Test
	void everythingWrittenBeforeTheCallIsReadWhenItReturns() throws Exception {
		for (int i = 0; i < 50; i++) {
			this.producer.send(new ProducerRecord<>(this.topic, "key-" + i, "before-" + i));
		}
		this.producer.flush();

		// The topic's partitions come from the broker's metadata, which the follower
		// reads
		// on its own thread once started: until it has, it knows no partitions to wait
		// for
		// (the services report themselves ready only once it has).
		await().atMost(WAIT).until(this.follower::isFollowing);
		assertThat(this.follower.awaitWrittenSoFar(this.topic, WAIT)).isTrue();
		assertThat(this.read).hasSize(50);
		assertThat(this.follower.awaitCaughtUp(WAIT)).isTrue();
	}

	/**
	 * A follower of uncommitted records reads past a transaction left open, where a
	 * follower of committed records stands still, and starts where it is told, with no
	 * store of its own.
	 */
	@Test
	void aFollowerOfUncommittedRecordsReadsPastAnOpenTransactionFromWhereItIsTold(@TempDir Path stateDir)
			throws Exception {
		TopicPartition partition = new TopicPartition(this.topic, 0);
		send(partition, "skipped");
		long start = send(partition, "first").offset();
		Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafkaBroker.bootstrapServers(),
				ProducerConfig.TRANSACTIONAL_ID_CONFIG, TestKafkaBroker.uniqueName("open"));
		KafkaProperties kafka = kafka();
		kafka.getStreams().setStateDir(stateDir.toString());
		Set<String> uncommitted = ConcurrentHashMap.newKeySet();
		long after;
		try (KafkaProducer<String, String> open = new KafkaProducer<>(config, new StringSerializer(),
				new StringSerializer());
				TopicFollower follower = new TopicFollower("uncommitted-follower", List.of(this.topic), kafka, true) {

					@Override
					protected long startingPosition(TopicPartition assigned) {
						return assigned.equals(partition) ? start : -1;
					}

					@Override
					protected void fold(ConsumerRecord<String, byte[]> record) {
						uncommitted.add(new String(record.value()));
					}

				}) {
			open.initTransactions();
			open.beginTransaction();
			open.send(new ProducerRecord<>(this.topic, 0, "open", "open")).get();
			after = send(partition, "after").offset();

			follower.start();

			assertThat(follower.awaitPosition(partition, after + 1, WAIT)).isTrue();
			assertThat(uncommitted).containsExactlyInAnyOrder("first", "open", "after");
			assertThat(this.follower.awaitPosition(partition, after + 1, Duration.ofMillis(500))).isFalse();
			assertThat(stateDir).isEmptyDirectory();
			open.abortTransaction();
		}
		assertThat(this.follower.awaitPosition(partition, after + 1, WAIT)).isTrue();
		assertThat(this.read).contains("skipped", "first", "after").doesNotContain("open");
	}

	@Test
	void aTopicItDoesNotFollowIsNeverReadFarEnough() {
		assertThat(this.follower.awaitWrittenSoFar("not-" + this.topic, Duration.ofMillis(100))).isFalse();
	}

	@Test
	void stoppingClosesItsConsumerWithoutAnError() throws Exception {
		RecordMetadata written = send("before-stop");
		assertThat(this.follower.awaitPosition(new TopicPartition(written.topic(), written.partition()),
				written.offset() + 1, WAIT))
			.isTrue();
		Logger kafkaClients = (Logger) LoggerFactory.getLogger("org.apache.kafka");
		ListAppender<ILoggingEvent> logged = new ListAppender<>();
		logged.start();
		kafkaClients.addAppender(logged);
		try {
			this.follower.close();
		}
		finally {
			kafkaClients.detachAppender(logged);
		}

		assertThat(logged.list).filteredOn((event) -> event.getLevel().isGreaterOrEqual(Level.WARN))
			.extracting(ILoggingEvent::getFormattedMessage)
			.isEmpty();
	}

	@Test
	void aFollowerStartedAgainOnItsStateDirectoryGoesOnFromWhereItStopped(@TempDir Path stateDir) throws Exception {
		KafkaProperties kafka = kafka();
		kafka.getStreams().setStateDir(stateDir.toString());
		List<TopicPartition> partitions = List.of(new TopicPartition(this.topic, 0), new TopicPartition(this.topic, 1));
		Set<String> read = ConcurrentHashMap.newKeySet();
		try (TopicFollower first = follower(kafka, read)) {
			first.start();
			for (int i = 0; i < 10; i++) {
				send("first-" + i);
			}
			assertThat(first.awaitWrittenSoFar(partitions, WAIT)).isTrue();
		}
		assertThat(read).hasSize(10);
		read.clear();
		send("second");

		try (TopicFollower second = follower(kafka, read)) {
			second.start();
			assertThat(second.awaitWrittenSoFar(partitions, WAIT)).isTrue();
		}
		assertThat(read).containsExactly("second");
	}

	@Test
	void aFollowerWhosePositionIsGoneFromTheTopicStartsFromTheEarliestRecordNotTheEnd(@TempDir Path stateDir)
			throws Exception {
		KafkaProperties kafka = kafka();
		kafka.getStreams().setStateDir(stateDir.toString());
		TopicPartition partition = new TopicPartition(this.topic, 0);
		List<TopicPartition> partitions = List.of(partition, new TopicPartition(this.topic, 1));
		Set<String> read = ConcurrentHashMap.newKeySet();
		try (TopicFollower first = follower(kafka, read)) {
			first.start();
			send(partition, "first");
			assertThat(first.awaitWrittenSoFar(partitions, WAIT)).isTrue();
		}
		read.clear();
		// While the follower is away, its position falls out of the log (retention, or
		// records deleted by hand).
		long gone = send(partition, "gone").offset();
		send(partition, "kept-1");
		send(partition, "kept-2");
		try (Admin admin = Admin
			.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafkaBroker.bootstrapServers()))) {
			admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(gone + 1))).all().get();
		}

		try (TopicFollower second = follower(kafka, read)) {
			second.start();
			assertThat(second.awaitWrittenSoFar(partitions, WAIT)).isTrue();
		}
		assertThat(read).containsExactlyInAnyOrder("kept-1", "kept-2");
	}

	@Test
	void aFollowerWhoseFoldFailsTriesAgainIsDownMeanwhileAndLosesNothing(@TempDir Path stateDir) throws Exception {
		KafkaProperties kafka = kafka();
		kafka.getStreams().setStateDir(stateDir.toString());
		List<TopicPartition> partitions = List.of(new TopicPartition(this.topic, 0), new TopicPartition(this.topic, 1));
		Set<String> read = ConcurrentHashMap.newKeySet();
		AtomicInteger failuresToGo = new AtomicInteger(2);
		try (TopicFollower failing = new TopicFollower("failing-follower", List.of(this.topic), kafka) {

			@Override
			protected void fold(ConsumerRecord<String, byte[]> record) {
				String value = new String(record.value());
				if (value.equals("poison") && failuresToGo.getAndDecrement() > 0) {
					throw new IllegalStateException("cannot fold " + value + " now");
				}
				read.add(value);
			}

		}) {
			TopicFollowerHealthIndicator health = new TopicFollowerHealthIndicator(failing);
			failing.start();
			send("before");
			send("poison");
			await().atMost(WAIT).until(() -> failing.failure() != null);
			assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
			assertThatExceptionOfType(BrokerUnavailableException.class).isThrownBy(failing::requireFollowing);
			send("after");

			assertThat(failing.awaitWrittenSoFar(partitions, WAIT)).isTrue();
			assertThat(read).containsExactlyInAnyOrder("before", "poison", "after");
			await().atMost(WAIT).until(failing::isFollowing);
			assertThat(health.health().getStatus()).isEqualTo(Status.UP);
		}
	}

	private KafkaProperties kafka() {
		KafkaProperties kafka = new KafkaProperties();
		kafka.setBootstrapServers(List.of(TestKafkaBroker.bootstrapServers()));
		return kafka;
	}

	private TopicFollower follower(KafkaProperties kafka, Set<String> read) {
		return new TopicFollower("test-follower", List.of(this.topic), kafka) {

			@Override
			protected void fold(ConsumerRecord<String, byte[]> record) {
				read.add(new String(record.value()));
			}

		};
	}

	private RecordMetadata send(String value) throws Exception {
		return this.producer.send(new ProducerRecord<>(this.topic, value, value)).get();
	}

	private RecordMetadata send(TopicPartition partition, String value) throws Exception {
		return this.producer.send(new ProducerRecord<>(this.topic, partition.partition(), value, value)).get();
	}

}
