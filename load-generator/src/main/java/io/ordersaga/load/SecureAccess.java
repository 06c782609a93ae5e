package io.ordersaga.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.ordersaga.runner.IssuerTokens;
import io.ordersaga.runner.KafkaSecrets;
import io.ordersaga.runner.RunScript;
import org.jspecify.annotations.Nullable;

/**
 * How the load generator reaches a suite in secure mode ({@code ./run --secure}): Kafka
 * as the admin, with the secrets that run made, and the APIs with tokens from the suite's
 * issuer, the operator's to credit the accounts and each customer's to order.
 *
 * @param issuer the issuer's base URL
 * @param secrets the run's secrets: the admin's credentials, the trust store, and the
 * passwords of the operator, the command-line client and the load's customers
 */
public record SecureAccess(String issuer, KafkaSecrets secrets) {

	/**
	 * The file with the password the load's customers share (see
	 * {@code ordersaga.auth.load-customers}).
	 */
	static final String CUSTOMERS_PASSWORD = "load-customers";

	/**
	 * The access of a secure run started by {@link RunScript}.
	 * @param run the run
	 * @return its access, or {@code null} for a run in the open mode
	 */
	static @Nullable SecureAccess of(RunScript run) {
		return run.secure() ? new SecureAccess(run.issuer(), run.secrets()) : null;
	}

	/**
	 * The access that the secrets in a directory give, checking that they are there.
	 * @param dir the secrets' directory, {@code .run-data/secrets} for {@code ./run}
	 * @param issuer the issuer's base URL
	 * @return the access
	 * @throws IllegalArgumentException when the directory has no secrets of a secure run
	 */
	static SecureAccess of(Path dir, String issuer) {
		for (String file : new String[] { "truststore.p12", "passwords/truststore", "passwords/admin",
				"passwords/operator", "passwords/" + IssuerTokens.CLIENT, "passwords/" + CUSTOMERS_PASSWORD }) {
			if (!Files.isReadable(dir.resolve(file))) {
				throw new IllegalArgumentException("No " + file + " in " + dir
						+ ": point --secrets at the secrets of ./run --secure (.run-data/secrets)");
			}
		}
		return new SecureAccess(issuer, KafkaSecrets.existing(dir));
	}

	/**
	 * A Kafka client's security settings, the admin's.
	 * @return the settings to add to the bootstrap servers
	 */
	Map<String, Object> kafkaClient() {
		return this.secrets.clientProperties(KafkaSecrets.ADMIN);
	}

	/**
	 * The same settings in a file, for Kafka's command-line tools: the one the secrets
	 * come with.
	 * @return the file
	 */
	Path kafkaClientFile() {
		return this.secrets.adminProperties();
	}

	/**
	 * Tokens for one run: a run's customers are its own, so each run asks anew and keeps
	 * no more than its customers' tokens.
	 * @return the tokens
	 */
	IssuerTokens tokens() {
		return new IssuerTokens(this.issuer, this.secrets);
	}

}
