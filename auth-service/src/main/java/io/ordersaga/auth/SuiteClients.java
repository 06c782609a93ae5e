package io.ordersaga.auth;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * The two clients of the suite's issuer. Swagger UI is a public client: authorization
 * code with PKCE, its redirect URIs only, no consent page (it is the suite's own). The
 * command-line client is confidential, its secret read from its file when it asks for a
 * token (as {@link PasswordFiles} reads the users'), and may use the password grant only.
 * Neither can be registered at run time.
 */
final class SuiteClients implements RegisteredClientRepository {

	private final AuthProperties properties;

	private final PasswordFiles passwords;

	private final TokenSettings tokens;

	private final String commandLineId = UUID
		.nameUUIDFromBytes("order-saga:command-line".getBytes(java.nio.charset.StandardCharsets.UTF_8))
		.toString();

	private final RegisteredClient swaggerUi;

	SuiteClients(AuthProperties properties, PasswordFiles passwords) {
		this.properties = properties;
		this.passwords = passwords;
		this.tokens = TokenSettings.builder().accessTokenTimeToLive(properties.accessTokenLifetime()).build();
		this.swaggerUi = RegisteredClient
			.withId(UUID.nameUUIDFromBytes("order-saga:swagger-ui".getBytes(java.nio.charset.StandardCharsets.UTF_8))
				.toString())
			.clientId(properties.swaggerUiClient())
			.clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUris((uris) -> uris.addAll(properties.redirectUris()))
			.scope("openid")
			.clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
			.tokenSettings(this.tokens)
			.build();
	}

	@Override
	public void save(RegisteredClient registeredClient) {
		throw new UnsupportedOperationException("The suite's clients are fixed");
	}

	@Override
	public @Nullable RegisteredClient findById(String id) {
		if (id.equals(this.swaggerUi.getId())) {
			return this.swaggerUi;
		}
		return id.equals(this.commandLineId) ? commandLine() : null;
	}

	@Override
	public @Nullable RegisteredClient findByClientId(String clientId) {
		if (clientId.equals(this.properties.swaggerUiClient())) {
			return this.swaggerUi;
		}
		return clientId.equals(this.properties.commandLineClient()) ? commandLine() : null;
	}

	private RegisteredClient commandLine() {
		return RegisteredClient.withId(this.commandLineId)
			.clientId(this.properties.commandLineClient())
			.clientSecret(this.passwords.hashedPassword(this.properties.commandLineClient()))
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
			.authorizationGrantType(PasswordGrant.TYPE)
			.tokenSettings(this.tokens)
			.build();
	}

}
