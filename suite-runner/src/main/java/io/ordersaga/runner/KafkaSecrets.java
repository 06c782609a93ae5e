package io.ordersaga.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * What secure mode needs on this machine: a certificate authority of the suite's own, the
 * brokers' key and certificate signed by it, a trust store for the clients, and a SCRAM
 * password per principal, created on first start by
 * {@code docker/kafka/create-secrets.sh} (the script compose's secrets job runs too) in a
 * directory under the data directory, and kept for the next start. It says how a broker
 * and each client are configured with them: TLS on every listener, SASL/SCRAM-SHA-512 for
 * clients, mutual TLS between the nodes.
 */
public final class KafkaSecrets {

	/** The SASL mechanism of every client. */
	public static final String MECHANISM = "SCRAM-SHA-512";

	/** The super user: topics, ACLs, Conduktor Console and the operator's tools. */
	public static final String ADMIN = "admin";

	/**
	 * The principal of the nodes among themselves, from the brokers' certificate: the
	 * controller listener authenticates both ends by certificate.
	 */
	static final String NODE_PRINCIPAL = "CN=order-saga broker";

	private final Path dir;

	private KafkaSecrets(Path dir) {
		this.dir = dir;
	}

	/**
	 * Creates what is missing in a directory of secrets, and keeps what is there.
	 * @param home the repository, whose {@code docker/kafka/create-secrets.sh} does it
	 * @param dir the directory
	 * @param principals the principals besides the admin, each given a password
	 * @return the secrets
	 */
	public static KafkaSecrets create(Path home, Path dir, Collection<String> principals) {
		ProcessBuilder script = new ProcessBuilder("bash",
				home.resolve("docker").resolve("kafka").resolve("create-secrets.sh").toString(), dir.toString());
		script.environment()
			.putAll(Map.of("BROKER_HOSTS", "localhost,127.0.0.1", "PRINCIPALS", String.join(" ", principals), "KEYTOOL",
					Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
		Commands.output(script, Duration.ofMinutes(2));
		return new KafkaSecrets(dir);
	}

	/**
	 * The secrets an earlier start made, as they are.
	 * @param dir their directory
	 * @return the secrets
	 */
	public static KafkaSecrets existing(Path dir) {
		return new KafkaSecrets(dir);
	}

	/**
	 * A principal's password.
	 * @param name the principal, or one of the stores ({@code broker},
	 * {@code truststore})
	 * @return the password
	 */
	public String password(String name) {
		try {
			return Files.readString(this.dir.resolve("passwords").resolve(name)).strip();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No password for " + name + " in " + this.dir, ex);
		}
	}

	/**
	 * The directory with a file per password: the principals', and the issuer's users'
	 * and command-line client's.
	 * @return the directory
	 */
	public Path passwords() {
		return this.dir.resolve("passwords");
	}

	/**
	 * The admin's client settings in a file, as {@code create-secrets.sh} writes them for
	 * Kafka's command-line tools ({@code --command-config}).
	 * @return its path
	 */
	public Path adminProperties() {
		return this.dir.resolve("admin.properties");
	}

	/**
	 * The trust store with the suite's certificate authority, for Java clients.
	 * @return its path (PKCS12)
	 */
	public Path truststore() {
		return this.dir.resolve("truststore.p12");
	}

	/**
	 * How a Java client connects as a principal: SASL/SCRAM over TLS, trusting the
	 * suite's authority.
	 * @param principal the principal
	 * @return the client's security settings, to add to its bootstrap servers
	 */
	public Map<String, Object> clientProperties(String principal) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
		properties.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
		properties.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(principal, password(principal)));
		properties.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
		properties.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststore().toString());
		properties.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, password("truststore"));
		return properties;
	}

	/**
	 * How a service connects as its principal, in the environment variables of Spring
	 * Boot's own Kafka properties ({@code spring.kafka.security.protocol}, the trust
	 * store, {@code spring.kafka.properties.sasl.*}), which every Kafka client of the
	 * service is built from.
	 * @param principal the service's principal
	 * @return the environment variables
	 */
	public Map<String, String> serviceEnvironment(String principal) {
		Map<String, String> environment = new LinkedHashMap<>();
		environment.put("SPRING_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
		environment.put("SPRING_KAFKA_SSL_TRUST_STORE_TYPE", "PKCS12");
		environment.put("SPRING_KAFKA_SSL_TRUST_STORE_LOCATION", truststore().toUri().toString());
		environment.put("SPRING_KAFKA_SSL_TRUST_STORE_PASSWORD", password("truststore"));
		environment.put("SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", MECHANISM);
		environment.put("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", jaas(principal, password(principal)));
		return environment;
	}

	/**
	 * A node's security settings: a {@code SASL_SSL} listener for clients and between the
	 * brokers (as the admin), an {@code SSL} controller listener that requires the nodes'
	 * certificate, and the standard authorizer, which denies whatever no ACL allows.
	 * @param port the client listener's port
	 * @param controllerPort the controller listener's port
	 * @return the lines of {@code server.properties}
	 */
	List<String> brokerProperties(int port, int controllerPort) {
		Path keystore = this.dir.resolve("broker.p12");
		return List.of("listeners=SASL_SSL://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort,
				"advertised.listeners=SASL_SSL://localhost:" + port, "controller.listener.names=CONTROLLER",
				"listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:SSL",
				"inter.broker.listener.name=SASL_SSL", "sasl.enabled.mechanisms=" + MECHANISM,
				"sasl.mechanism.inter.broker.protocol=" + MECHANISM,
				"listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=" + jaas(ADMIN, password(ADMIN)),
				"listener.name.controller.ssl.client.auth=required", "ssl.keystore.type=PKCS12",
				"ssl.keystore.location=" + keystore, "ssl.keystore.password=" + password("broker"),
				"ssl.key.password=" + password("broker"), "ssl.truststore.type=PKCS12",
				"ssl.truststore.location=" + truststore(), "ssl.truststore.password=" + password("truststore"),
				"authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
				"allow.everyone.if.no.acl.found=false", "super.users=User:" + ADMIN + ";User:" + NODE_PRINCIPAL);
	}

	/**
	 * The SCRAM credentials a node's storage is formatted with: under KRaft, a broker can
	 * authenticate no client before its first user exists.
	 * @param principals every principal, the admin included
	 * @return the arguments of {@code kafka-storage format}
	 */
	List<String> formatArguments(Collection<String> principals) {
		List<String> arguments = new ArrayList<>();
		for (String principal : principals) {
			arguments.add("--add-scram");
			arguments.add(MECHANISM + "=[name=" + principal + ",password=" + password(principal) + "]");
		}
		return arguments;
	}

	private static String jaas(String principal, String password) {
		return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + principal
				+ "\" password=\"" + password + "\";";
	}

}
