package io.ordersaga.auth;

import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClaimAccessor;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationGrantAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.token.DefaultOAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * The resource owner password grant (RFC 6749, 4.3) for the suite's command-line client
 * only: {@code grant_type=password} with a user's name and password gives that user an
 * access token in one request, which is what a script, {@code ./demo} or a {@code curl}
 * in the README needs. OAuth 2.1 drops this grant and Spring Authorization Server does
 * not ship it, because a client that sees the user's password must be trusted: here the
 * only such client is the suite's own, and a browser (Swagger UI) uses the authorization
 * code flow with PKCE. No refresh token is issued and nothing is stored: the access token
 * is a signed JWT the services check on their own.
 */
final class PasswordGrant {

	static final AuthorizationGrantType TYPE = new AuthorizationGrantType("password");

	private PasswordGrant() {
	}

	/** A token request with {@code grant_type=password}, its client authenticated. */
	static final class Request extends OAuth2AuthorizationGrantAuthenticationToken {

		private final String username;

		private final String password;

		Request(Authentication client, String username, String password) {
			super(TYPE, client, Map.of());
			this.username = username;
			this.password = password;
		}

	}

	/**
	 * Reads {@code username} and {@code password} from a {@code grant_type=password}
	 * request.
	 */
	static final class Converter implements AuthenticationConverter {

		@Override
		public @Nullable Authentication convert(HttpServletRequest request) {
			if (!TYPE.getValue().equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE))) {
				return null;
			}
			String username = single(request, "username");
			String password = single(request, "password");
			Authentication client = SecurityContextHolder.getContext().getAuthentication();
			if (client == null) {
				throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
			}
			return new Request(client, username, password);
		}

		private static String single(HttpServletRequest request, String name) {
			String[] values = request.getParameterValues(name);
			if (values == null || values.length != 1 || values[0].isEmpty()) {
				throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST,
						"The request needs exactly one " + name + ".", null));
			}
			return values[0];
		}

	}

	/**
	 * Checks the user's password and issues an access token to a client registered for
	 * this grant.
	 */
	static final class Provider implements org.springframework.security.authentication.AuthenticationProvider {

		private final AuthenticationManager users;

		private final OAuth2TokenGenerator<? extends OAuth2Token> tokens;

		Provider(AuthenticationManager users, OAuth2TokenGenerator<? extends OAuth2Token> tokens) {
			this.users = users;
			this.tokens = tokens;
		}

		@Override
		public Authentication authenticate(Authentication authentication) {
			Request request = (Request) authentication;
			OAuth2ClientAuthenticationToken client = (request
				.getPrincipal() instanceof OAuth2ClientAuthenticationToken token && token.isAuthenticated()) ? token
						: null;
			RegisteredClient registered = (client != null) ? client.getRegisteredClient() : null;
			if (client == null || registered == null) {
				throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
			}
			if (!registered.getAuthorizationGrantTypes().contains(TYPE)) {
				throw new OAuth2AuthenticationException(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT);
			}
			Authentication user;
			try {
				user = this.users.authenticate(
						UsernamePasswordAuthenticationToken.unauthenticated(request.username, request.password));
			}
			catch (AuthenticationException ex) {
				throw new OAuth2AuthenticationException(
						new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT, "Wrong user name or password.", null));
			}
			OAuth2Token token = this.tokens.generate(DefaultOAuth2TokenContext.builder()
				.registeredClient(registered)
				.principal(user)
				.authorizationServerContext(AuthorizationServerContextHolder.getContext())
				.authorizedScopes(Set.of())
				.tokenType(OAuth2TokenType.ACCESS_TOKEN)
				.authorizationGrantType(TYPE)
				.authorizationGrant(request)
				.build());
			if (!(token instanceof ClaimAccessor)) {
				throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.SERVER_ERROR,
						"The token generator did not make an access token.", null));
			}
			OAuth2AccessToken accessToken = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER,
					token.getTokenValue(), token.getIssuedAt(), token.getExpiresAt(), Set.of());
			return new OAuth2AccessTokenAuthenticationToken(registered, client, accessToken);
		}

		@Override
		public boolean supports(Class<?> authentication) {
			return Request.class.isAssignableFrom(authentication);
		}

	}

}
