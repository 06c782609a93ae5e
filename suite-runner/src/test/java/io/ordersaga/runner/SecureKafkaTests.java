package io.ordersaga.runner;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.ordersaga.events.KafkaAccess;
import io.ordersaga.events.Replication;
import io.ordersaga.events.TopicCatalogue;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Kafka in secure mode, as {@code ./run --secure} starts it: a real broker with TLS on
 * every listener, SASL/SCRAM-SHA-512, the standard authorizer denying whatever no ACL
 * allows, and the ACLs of {@code acls.txt}. Who is refused and what each service's
 * principal may not do are the broker's own answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecureKafkaTests {

	private static final Duration TIMEOUT = Duration.ofMinutes(2);

	@TempDir
	static Path dir;

	private KafkaSecrets secrets;

	private LocalKafkaCluster kafka;

	@BeforeAll
	void startASecureBrokerWithTheSuitesTopicsAndAcls() {
		this.secrets = KafkaSecrets.create(Path.of("..").toAbsolutePath().normalize(), dir.resolve("secrets"),
				KafkaAccess.principals());
		int port = RunScript.freePorts(2);
		this.kafka = LocalKafkaCluster.start(dir, 1, port, port + 1, dir.resolve("logs"), TIMEOUT, this.secrets);
		try (Admin admin = Admin.create(this.kafka.adminClientProperties())) {
			TopicCatalogue.create(admin, TopicCatalogue.entries(), Replication.CLUSTER_DEFAULTS,
					Duration.ofSeconds(30));
			KafkaAccess.apply(admin, Duration.ofSeconds(30));
			// A second time changes nothing.
			KafkaAccess.apply(admin, Duration.ofSeconds(30));
		}
	}

	@AfterAll
	void stopTheBroker() {
		if (this.kafka != null) {
			this.kafka.close();
		}
	}

	@Test
	void aClientWithoutCredentialsGetsNothing() {
		Map<String, Object> plain = new HashMap<>(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
				this.kafka.bootstrapServers(), AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000,
				AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000));
		try (Admin admin = Admin.create(plain)) {
			assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
				.isInstanceOfAny(ExecutionException.class, java.util.concurrent.TimeoutException.class);
		}
	}

	/** Kafka's own tools connect with the settings file the secrets come with. */
	@Test
	void theAdminsSettingsFileLetsKafkasToolsIn() throws Exception {
		Properties settings = new Properties();
		try (Reader reader = Files.newBufferedReader(dir.resolve("secrets").resolve("admin.properties"))) {
			settings.load(reader);
		}
		Map<String, Object> config = new HashMap<>();
		settings.forEach((name, value) -> config.put((String) name, value));
		config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, this.kafka.bootstrapServers());
		try (Admin admin = Admin.create(config)) {
			assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("orders", "payments");
		}
	}

	@Test
	void aWrongPasswordIsRefused() {
		Map<String, Object> config = this.kafka.adminClientProperties();
		config.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required "
				+ "username=\"order-service\" password=\"not-the-password\";");
		config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
		config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10000);
		try (Admin admin = Admin.create(config)) {
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> admin.listTopics().names().get(20, TimeUnit.SECONDS))
				.withCauseInstanceOf(SaslAuthenticationException.class);
		}
	}

	/**
	 * order-service's principal writes orders, but a forged payment outcome, written by
	 * it on payments, is refused by the broker.
	 */
	@Test
	void aServiceWritesItsOwnTopicsAndNoOtherServices() throws Exception {
		try (KafkaProducer<String, String> orderService = producer("order-service", Map.of())) {
			orderService.send(new ProducerRecord<>("orders", "order-1", "{}")).get(30, TimeUnit.SECONDS);
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> orderService.send(new ProducerRecord<>("payments", "order-1", "{\"forged\":true}"))
					.get(30, TimeUnit.SECONDS))
				.withCauseInstanceOf(TopicAuthorizationException.class);
		}
		try (KafkaProducer<String, String> paymentService = producer("payment-service", Map.of())) {
			paymentService.send(new ProducerRecord<>("payments", "order-1", "{}")).get(30, TimeUnit.SECONDS);
		}
	}

	@Test
	void aServiceMayNotUseAnotherServicesTransactionsOrConsumerGroup() {
		try (KafkaProducer<String, String> forger = producer("payment-service",
				Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "order-service-forged-1"))) {
			assertThatExceptionOfType(TransactionalIdAuthorizationException.class).isThrownBy(forger::initTransactions);
		}
		Map<String, Object> config = this.secrets.clientProperties("payment-service");
		config.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.kafka.bootstrapServers(),
				ConsumerConfig.GROUP_ID_CONFIG, "order-service"));
		try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
				new StringDeserializer())) {
			consumer.subscribe(List.of("orders"));
			assertThatExceptionOfType(GroupAuthorizationException.class)
				.isThrownBy(() -> consumer.poll(Duration.ofSeconds(30)));
		}
	}

	private KafkaProducer<String, String> producer(String principal, Map<String, Object> more) {
		Map<String, Object> config = this.secrets.clientProperties(principal);
		config.putAll(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, this.kafka.bootstrapServers(),
				ProducerConfig.MAX_BLOCK_MS_CONFIG, 30000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30000,
				ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20000));
		config.putAll(more);
		return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
	}

}
