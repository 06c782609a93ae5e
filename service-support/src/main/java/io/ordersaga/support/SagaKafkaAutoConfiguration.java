package io.ordersaga.support;

import io.ordersaga.support.streams.RecordTracing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordersaga.events.Replication;
import io.ordersaga.events.TopicCatalogue;
import io.ordersaga.support.streams.CommitPace;
import io.ordersaga.support.streams.DeadLetterTopics;
import io.ordersaga.support.streams.LocalStateGuard;
import io.ordersaga.support.streams.ProcessingFailures;
import io.ordersaga.support.streams.ReplaceThreadAfterBackOff;
import io.ordersaga.support.streams.StateStoreMetrics;
import io.ordersaga.support.streams.StreamsErrorHandler;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.ordersaga.events.KafkaAccess;
import io.ordersaga.events.Topic;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.streams.StreamsConfig;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Creates every topic of the catalogue, dead-letter topics included, and any other topic
 * the service declares, at start-up and until it succeeds (creating an existing topic is
 * a no-op), and adds the broker and its topics — and Kafka Streams, where a service uses
 * it — to the health endpoint.
 */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@EnableConfigurationProperties(SagaKafkaProperties.class)
public class SagaKafkaAutoConfiguration {

	/**
	 * The catalogue's topics; where Kafka authenticates the service (secure mode), only
	 * those its principal, named after the application, may use: an admin created them
	 * all, and the service may create none, nor see the others.
	 */
	@Bean
	KafkaAdmin.NewTopics sagaTopics(SagaKafkaProperties properties, KafkaProperties kafka,
			@Value("${spring.application.name}") String application) {
		return new KafkaAdmin.NewTopics(
				declaredTopics(properties.replication(), kafka.getSecurity().getProtocol(), application)
					.toArray(NewTopic[]::new));
	}

	/**
	 * The topics a service makes sure exist.
	 * @param replication how they are replicated
	 * @param protocol how the service connects to Kafka ({@code null} or
	 * {@code PLAINTEXT} on an open broker)
	 * @param application the service's name, its principal in secure mode
	 * @return the topics
	 */
	static List<NewTopic> declaredTopics(Replication replication, @Nullable String protocol, String application) {
		boolean authenticated = protocol != null && !protocol.equalsIgnoreCase("PLAINTEXT");
		Set<String> usable = authenticated ? KafkaAccess.topicsOf(application) : Set.of();
		return TopicCatalogue.entries()
			.stream()
			.filter((topic) -> !authenticated || usable.contains(topic.name()))
			.map((topic) -> topic.newTopic(replication))
			.toList();
	}

	@Bean
	TopicCreation topicCreation(KafkaAdmin admin) {
		return new TopicCreation(admin);
	}

	@Bean
	KafkaHealthIndicator kafkaHealthIndicator(KafkaAdmin admin, TopicCreation topics, SagaKafkaProperties properties) {
		return new KafkaHealthIndicator(admin.getConfigurationProperties(), topics, properties.healthTimeout());
	}

	/**
	 * The health of each read model of the service, under {@code readModels}, by bean
	 * name. A follower of uncommitted records is left out: nothing is answered from it
	 * alone (order-service's {@code FirstPlacements} only spares a wait the read model
	 * would make), so while it starts or fails the instance still serves.
	 */
	@Bean
	@ConditionalOnBean(TopicFollower.class)
	CompositeHealthContributor readModelsHealthContributor(Map<String, TopicFollower> followers) {
		Map<String, HealthContributor> contributors = new TreeMap<>();
		followers.forEach((name, follower) -> {
			if (!follower.readsUncommitted()) {
				contributors.put(name, new TopicFollowerHealthIndicator(follower));
			}
		});
		return CompositeHealthContributor.fromMap(contributors);
	}

	@Bean
	RecordTracing recordTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
		return new RecordTracing(tracer.getIfAvailable(() -> Tracer.NOOP),
				propagator.getIfAvailable(() -> Propagator.NOOP));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.apache.kafka.streams.KafkaStreams")
	@ConditionalOnBean(StreamsBuilderFactoryBean.class)
	static class KafkaStreamsHealthConfiguration {

		@Bean
		KafkaStreamsHealthIndicator kafkaStreamsHealthIndicator(StreamsBuilderFactoryBean streams,
				ReplaceThreadAfterBackOff streamThreadReplacement) {
			return new KafkaStreamsHealthIndicator(streams::getKafkaStreams, streamThreadReplacement);
		}

		/**
		 * Starts Kafka Streams once its local state is known to come from the cluster
		 * ({@link LocalStateGuard}), and again, wiped, should it fail for good.
		 */
		@Bean
		LocalStateGuard localStateGuard(StreamsBuilderFactoryBean streams, KafkaAdmin admin,
				SagaKafkaProperties properties) {
			Properties config = Objects.requireNonNull(streams.getStreamsConfiguration(), "streams configuration");
			return new LocalStateGuard(streams, admin.getConfigurationProperties(), properties.healthTimeout(),
					Path.of(config.getProperty(StreamsConfig.STATE_DIR_CONFIG,
							System.getProperty("java.io.tmpdir") + "/kafka-streams")),
					config.getProperty(StreamsConfig.APPLICATION_ID_CONFIG));
		}

		/**
		 * An unexpected error (not a bad record: those go to the dead-letter topic)
		 * replaces the stream thread after a pause that grows from 1 s to 30 s.
		 */
		@Bean
		ReplaceThreadAfterBackOff streamThreadReplacement() {
			return new ReplaceThreadAfterBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30));
		}

		/** Each topic of the catalogue's dead letters go to its dead-letter topic. */
		@Bean
		@ConditionalOnMissingBean
		DeadLetterTopics deadLetterTopics() {
			return DeadLetterTopics::standard;
		}

		/**
		 * A record whose processing fails three times with an unexpected error becomes a
		 * dead letter; dead letters are counted by source topic
		 * ({@code saga.dead.letters}).
		 */
		@Bean
		ProcessingFailures processingFailures(DeadLetterTopics deadLetterTopics, MeterRegistry registry,
				@Value("${spring.application.name:}") String service) {
			return new ProcessingFailures(3, deadLetterTopics, deadLetterCounter(registry, service));
		}

		/** The entries of each state store, as a gauge. */
		@Bean
		StateStoreMetrics stateStoreMetrics(MeterRegistry registry, StreamsBuilderFactoryBean streams) {
			StateStoreMetrics metrics = new StateStoreMetrics(registry, streams);
			streams.addListener(metrics);
			return metrics;
		}

		/**
		 * An unexpected error replaces the stream thread after a pause, which aborts the
		 * transaction and retries from the last commit; a rejected record, and one whose
		 * output cannot be written, becomes a dead letter ({@link StreamsErrorHandler}).
		 * An instance that stops leaves the group at once, so the others take over its
		 * partitions without waiting for its session to time out.
		 */
		@Bean
		StreamsBuilderFactoryBeanConfigurer sagaStreamsLifecycle(ProcessingFailures failures,
				ReplaceThreadAfterBackOff streamThreadReplacement) {
			return (factory) -> {
				factory.setStreamsUncaughtExceptionHandler(streamThreadReplacement);
				factory.setLeaveGroupOnClose(true);
				factory.setStreamsConfiguration(StreamsErrorHandler
					.use(Objects.requireNonNull(factory.getStreamsConfiguration(), "streams configuration"), failures));
			};
		}

		/**
		 * Kafka Streams' changelog and repartition topics are replicated like the
		 * service's own: as the cluster's defaults say ({@code replication.factor: -1} in
		 * saga-defaults.yml), unless {@code REPLICATION_FACTOR} or
		 * {@code MIN_INSYNC_REPLICAS} override them.
		 */
		@Bean
		StreamsBuilderFactoryBeanConfigurer sagaStreamsReplication(SagaKafkaProperties properties) {
			Replication replication = properties.replication();
			return (factory) -> {
				Properties config = Objects.requireNonNull(factory.getStreamsConfiguration(), "streams configuration");
				replication.factorOrDefault()
					.ifPresent((factor) -> config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, factor.intValue()));
				replication.topicConfigs().forEach((name, value) -> config.put(StreamsConfig.topicPrefix(name), value));
				factory.setStreamsConfiguration(config);
			};
		}

		/**
		 * A stream thread commits at {@code commit.interval.ms} while the machine has CPU
		 * to spare and at the busy interval while it has not ({@link CommitPace}).
		 */
		@Bean
		StreamsBuilderFactoryBeanConfigurer sagaStreamsCommitPace(SagaKafkaProperties properties) {
			return (factory) -> {
				Properties config = Objects.requireNonNull(factory.getStreamsConfiguration(), "streams configuration");
				CommitPace.configure(config, properties.busyCommitInterval(), properties.busyCpuLoad());
				factory.setStreamsConfiguration(config);
			};
		}

	}

	/**
	 * Counts a service's dead letters by source topic. The count of every topic the
	 * service reads (by its access rules) exists at zero from the start: Prometheus'
	 * {@code increase()} and {@code rate()} count only what a series adds after its first
	 * sample, so a count that appeared with the first dead letter would hide it.
	 * @param registry where the counts go
	 * @param service the service, as the access rules name it
	 * @return what counts a dead letter of a topic
	 */
	static Consumer<String> deadLetterCounter(MeterRegistry registry, String service) {
		Function<String, Counter> counter = (topic) -> Counter.builder("saga.dead.letters")
			.description("Records sent to a dead-letter topic")
			.tag("topic", topic)
			.register(registry);
		KafkaAccess.topicsOf(service, AclOperation.READ)
			.stream()
			.filter((topic) -> !topic.endsWith(Topic.DEAD_LETTER_SUFFIX))
			.forEach(counter::apply);
		return (topic) -> counter.apply(topic).increment();
	}

}
