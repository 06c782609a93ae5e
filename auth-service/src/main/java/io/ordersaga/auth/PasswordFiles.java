package io.ordersaga.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The configured users, each with the password in their file, read when they sign in: the
 * issuer starts before the secrets exist (the start-up cache's training run does), and a
 * password changed in its file counts from the next sign-in. Each password is kept
 * hashed, as {@link PasswordEncoder} hashes it, and hashed again only when its file
 * changes; there is one entry per configured user (the load generator's customers share
 * one), so this holds no more than they are.
 */
final class PasswordFiles implements UserDetailsService {

	private final AuthProperties properties;

	private final PasswordEncoder encoder;

	private final Map<String, Hashed> hashed = new ConcurrentHashMap<>();

	PasswordFiles(AuthProperties properties, PasswordEncoder encoder) {
		this.properties = properties;
		this.encoder = encoder;
	}

	@Override
	public UserDetails loadUserByUsername(String username) {
		AuthProperties.Role role = this.properties.role(username);
		if (role == null) {
			throw new UsernameNotFoundException("No such user");
		}
		// The load generator's customers share one password file, and one hash.
		String file = this.properties.isLoadCustomer(username) ? AuthProperties.LOAD_CUSTOMERS : username;
		return User.withUsername(username).password(hashedPassword(file)).roles(role.name()).build();
	}

	/**
	 * The hash of a user's or client's password, from its file.
	 * @param name the user or client
	 * @return the hash, with its encoder's prefix
	 */
	String hashedPassword(String name) {
		String password = this.properties.password(name);
		Hashed known = this.hashed.get(name);
		if (known != null && known.matches(password)) {
			return known.hash();
		}
		Hashed fresh = new Hashed(fingerprint(password), Objects.requireNonNull(this.encoder.encode(password)));
		this.hashed.put(name, fresh);
		return fresh.hash();
	}

	private static byte[] fingerprint(String password) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A password's slow hash, and a fast one that tells whether its file still says the
	 * same.
	 */
	private record Hashed(byte[] digest, String hash) {

		boolean matches(String password) {
			return MessageDigest.isEqual(this.digest, PasswordFiles.fingerprint(password));
		}

	}

}
