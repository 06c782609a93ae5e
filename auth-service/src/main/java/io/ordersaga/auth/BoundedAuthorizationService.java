package io.ordersaga.auth;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Spring Authorization Server's in-memory store of authorizations, with a bound: it keeps
 * every completed authorization until it is removed, so a long run that signs in often
 * would grow without end. This one forgets the oldest once it holds {@code max}. A
 * forgotten authorization's access token stays valid until it expires (the services check
 * the JWT on their own); only its code or refresh can no longer be redeemed.
 */
final class BoundedAuthorizationService implements OAuth2AuthorizationService {

	private final InMemoryOAuth2AuthorizationService delegate = new InMemoryOAuth2AuthorizationService();

	private final Map<String, OAuth2Authorization> oldestFirst;

	BoundedAuthorizationService(int max) {
		this.oldestFirst = new LinkedHashMap<>(16, 0.75f, false) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, OAuth2Authorization> eldest) {
				if (size() > max) {
					BoundedAuthorizationService.this.delegate.remove(eldest.getValue());
					return true;
				}
				return false;
			}

		};
	}

	@Override
	public synchronized void save(OAuth2Authorization authorization) {
		this.delegate.save(authorization);
		this.oldestFirst.put(authorization.getId(), authorization);
	}

	@Override
	public synchronized void remove(OAuth2Authorization authorization) {
		this.delegate.remove(authorization);
		this.oldestFirst.remove(authorization.getId());
	}

	@Override
	public synchronized @Nullable OAuth2Authorization findById(String id) {
		return this.delegate.findById(id);
	}

	@Override
	public synchronized @Nullable OAuth2Authorization findByToken(String token, @Nullable OAuth2TokenType tokenType) {
		return this.delegate.findByToken(token, tokenType);
	}

	/** How many authorizations are kept, for tests. */
	synchronized int size() {
		return this.oldestFirst.size();
	}

}
