package io.ordersaga.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may sign in, and the clients that ask for tokens.
 *
 * @param passwords the directory with one file per user, and one for the command-line
 * client, holding its password: written by {@code docker/kafka/create-secrets.sh} (with
 * the Kafka principals' passwords) on the first start, never committed
 * @param users each user's name and role: {@code customer} (the name is the customer id)
 * or {@code operator}
 * @param commandLineClient the id of the confidential client that may exchange a user's
 * name and password for a token in one request, as a script or {@code curl} does; its
 * secret is the file of the same name in {@code passwords}
 * @param swaggerUiClient the id of the public client Swagger UI signs in with
 * (authorization code with PKCE)
 * @param redirectUris where Swagger UI may receive the code; one on {@code 127.0.0.1}
 * matches every port of that address (RFC 8252, 7.3)
 * @param allowedOrigins the pages that may call the token endpoint from a browser
 * (Swagger UI on the services' ports)
 * @param accessTokenLifetime how long an access token is valid
 * @param maxAuthorizations how many issued authorizations are remembered (for the
 * authorization code flow); the oldest are forgotten first
 * @param loadCustomers a prefix that makes every name starting with it a customer, all
 * sharing the password in the file {@value #LOAD_CUSTOMERS}: the load generator's
 * customers, one per run and account, which no list could name; empty (the default) for
 * none. {@code ./run --secure} sets it on this machine's issuer; an issuer of real
 * customers leaves it empty.
 * @param signInsAtOnce how many sign-ins check passwords at once ({@link SignInLimit});
 * 0, the default, for half the cores, at least one
 * @param signInsWaiting how many more sign-ins may wait for their turn; beyond them a
 * sign-in is answered {@code 429} at once
 */
@ConfigurationProperties("ordersaga.auth")
record AuthProperties(Path passwords, Map<String, Role> users, @DefaultValue("order-saga-cli") String commandLineClient,
		@DefaultValue("swagger-ui") String swaggerUiClient, List<String> redirectUris, List<String> allowedOrigins,
		@DefaultValue("15m") Duration accessTokenLifetime, @DefaultValue("10000") int maxAuthorizations,
		@DefaultValue("") String loadCustomers, @DefaultValue("0") int signInsAtOnce,
		@DefaultValue("100") int signInsWaiting) {

	/**
	 * How many sign-ins check passwords at once.
	 * @return {@link #signInsAtOnce()}, or half the cores (at least one) when that is 0
	 */
	int concurrentSignIns() {
		return (this.signInsAtOnce > 0) ? this.signInsAtOnce
				: Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
	}

	/** The file with the load generator's customers' shared password. */
	static final String LOAD_CUSTOMERS = "load-customers";

	/**
	 * A user's role, if they may sign in.
	 * @param username the name they sign in with
	 * @return the role, or {@code null} for a name that is no user
	 */
	@Nullable Role role(String username) {
		Role role = this.users.get(username);
		if (role == null && isLoadCustomer(username)) {
			return Role.CUSTOMER;
		}
		return role;
	}

	/**
	 * Whether a name is one of the load generator's customers.
	 * @param username the name
	 * @return whether it starts with {@link #loadCustomers()} (and is more than that)
	 */
	boolean isLoadCustomer(String username) {
		return !this.loadCustomers.isEmpty() && username.startsWith(this.loadCustomers)
				&& username.length() > this.loadCustomers.length() && !this.users.containsKey(username);
	}

	/** What a user may do. */
	enum Role {

		/**
		 * Places and reads their own orders, reads their own account and notifications.
		 */
		CUSTOMER,

		/** Credits accounts, reads every customer's data, Actuator and metrics. */
		OPERATOR

	}

	/**
	 * The password of a user or client, from its file.
	 * @param name the user's or client's name
	 * @return the password, without a trailing line break
	 */
	String password(String name) {
		Path file = this.passwords.resolve(name);
		try {
			return Files.readString(file).strip();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("No password for " + name + " in " + this.passwords
					+ ": create it with docker/kafka/create-secrets.sh (./run --secure does on its first start)", ex);
		}
	}

}
