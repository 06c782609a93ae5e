package io.ordersaga.kafka.test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Signed JWTs for tests of the secure mode, as the suite's issuer makes them: a subject,
 * a {@code roles} claim, an issuer and an expiry. The decoder checks their signature with
 * this issuer's public key only, as a service's does with the keys it discovers.
 */
public final class TestTokens {

	public static final String ISSUER = "http://issuer.test";

	private final KeyPair keys = generate();

	/**
	 * A decoder that accepts this issuer's tokens and nobody else's.
	 * @return the decoder
	 */
	public JwtDecoder decoder() {
		return NimbusJwtDecoder.withPublicKey((RSAPublicKey) this.keys.getPublic()).build();
	}

	/**
	 * A valid token.
	 * @param subject the customer id, or the operator's name
	 * @param role {@code customer} or {@code operator}
	 * @return the token, for an {@code Authorization: Bearer} header
	 */
	public String token(String subject, String role) {
		return sign(subject, role, Instant.now().plus(Duration.ofMinutes(5)));
	}

	/**
	 * A token that expired a minute ago.
	 * @param subject the customer id
	 * @return the token
	 */
	public String expired(String subject) {
		return sign(subject, "customer", Instant.now().minus(Duration.ofMinutes(1)));
	}

	/**
	 * A token signed by another key: a forgery.
	 * @param subject the customer id
	 * @param role the role it claims
	 * @return the token
	 */
	public String forged(String subject, String role) {
		return new TestTokens().token(subject, role);
	}

	private String sign(String subject, String role, Instant expiresAt) {
		RSAKey key = new RSAKey.Builder((RSAPublicKey) this.keys.getPublic())
			.privateKey((RSAPrivateKey) this.keys.getPrivate())
			.keyID("test")
			.build();
		NimbusJwtEncoder encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(key)));
		JwtClaimsSet claims = JwtClaimsSet.builder()
			.issuer(ISSUER)
			.subject(subject)
			.issuedAt(expiresAt.minus(Duration.ofMinutes(10)))
			.expiresAt(expiresAt)
			.claim("roles", List.of(role))
			.build();
		return encoder
			.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).keyId("test").build(), claims))
			.getTokenValue();
	}

	private static KeyPair generate() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return generator.generateKeyPair();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
