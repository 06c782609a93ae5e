package io.ordersaga.auth;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * Spring Authorization Server as the suite needs it: the protocol endpoints (with OpenID
 * Connect discovery, which the services read), a sign-in page for the browser flow, the
 * users and clients from {@link AuthProperties}, and access tokens that carry the
 * holder's role in a {@code roles} claim. The subject ({@code sub}) of a customer's token
 * is their customer id.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerSecurity {

	/** The claim that lists the holder's roles: {@code customer} or {@code operator}. */
	static final String ROLES_CLAIM = "roles";

	/**
	 * The bound on sign-ins checked at once, in front of Spring Security's filters, where
	 * the passwords are checked.
	 */
	@Bean
	FilterRegistrationBean<SignInLimit> signInLimit(AuthProperties properties) {
		FilterRegistrationBean<SignInLimit> registration = new FilterRegistrationBean<>(
				new SignInLimit(properties.concurrentSignIns(), properties.signInsWaiting()));
		registration.addUrlPatterns("/oauth2/token", "/login");
		registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1);
		return registration;
	}

	@Bean
	@Order(1)
	SecurityFilterChain authorizationServer(HttpSecurity http, UserDetailsService users, PasswordEncoder encoder,
			OAuth2TokenGenerator<? extends OAuth2Token> tokens) {
		// Not a bean: an AuthenticationProvider bean would replace the users' sign-in.
		PasswordGrant.Provider passwordGrant = passwordGrant(users, encoder, tokens);
		http.oauth2AuthorizationServer((server) -> {
			http.securityMatcher(server.getEndpointsMatcher());
			server.oidc(Customizer.withDefaults())
				.tokenEndpoint((token) -> token.accessTokenRequestConverter(new PasswordGrant.Converter())
					.authenticationProvider(passwordGrant));
		})
			.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
			// Swagger UI, on another port, exchanges its code from the browser.
			.cors(Customizer.withDefaults())
			.exceptionHandling((exceptions) -> exceptions
				.defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"), browsers()));
		return http.build();
	}

	/** A request that asks for HTML by name, not one that takes anything. */
	private static MediaTypeRequestMatcher browsers() {
		MediaTypeRequestMatcher html = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
		html.setIgnoredMediaTypes(Set.of(MediaType.ALL));
		return html;
	}

	@Bean
	@Order(2)
	SecurityFilterChain signIn(HttpSecurity http) {
		http.authorizeHttpRequests((requests) -> requests.requestMatchers(EndpointRequest.to("health"))
			.permitAll()
			.requestMatchers("/error")
			.permitAll()
			.anyRequest()
			.authenticated()).formLogin(Customizer.withDefaults());
		return http.build();
	}

	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	PasswordFiles users(AuthProperties properties, PasswordEncoder encoder) {
		return new PasswordFiles(properties, encoder);
	}

	private static PasswordGrant.Provider passwordGrant(UserDetailsService users, PasswordEncoder encoder,
			OAuth2TokenGenerator<? extends OAuth2Token> tokens) {
		DaoAuthenticationProvider checkPassword = new DaoAuthenticationProvider(users);
		checkPassword.setPasswordEncoder(encoder);
		AuthenticationManager manager = new ProviderManager(checkPassword);
		return new PasswordGrant.Provider(manager, tokens);
	}

	@Bean
	RegisteredClientRepository clients(AuthProperties properties, PasswordFiles passwords) {
		return new SuiteClients(properties, passwords);
	}

	@Bean
	BoundedAuthorizationService authorizations(AuthProperties properties) {
		return new BoundedAuthorizationService(properties.maxAuthorizations());
	}

	@Bean
	OAuth2TokenGenerator<? extends OAuth2Token> tokenGenerator(JWKSource<SecurityContext> keys) {
		JwtGenerator jwts = new JwtGenerator(new NimbusJwtEncoder(keys));
		jwts.setJwtCustomizer(rolesClaim());
		return new DelegatingOAuth2TokenGenerator(jwts);
	}

	/**
	 * Puts the user's roles in their tokens, as {@code customer} or {@code operator}.
	 * @return the customizer
	 */
	static OAuth2TokenCustomizer<JwtEncodingContext> rolesClaim() {
		return (context) -> {
			Authentication principal = context.getPrincipal();
			if (principal == null) {
				return;
			}
			List<String> roles = principal.getAuthorities()
				.stream()
				.map(GrantedAuthority::getAuthority)
				.filter((authority) -> authority != null && authority.startsWith("ROLE_"))
				.map((authority) -> authority.substring("ROLE_".length()).toLowerCase(Locale.ROOT))
				.toList();
			if (!roles.isEmpty()) {
				context.getClaims().claim(ROLES_CLAIM, roles);
			}
		};
	}

	@Bean
	CorsConfigurationSource corsConfigurationSource(AuthProperties properties) {
		CorsConfiguration browserPages = new CorsConfiguration();
		browserPages.setAllowedOriginPatterns(properties.allowedOrigins());
		browserPages.setAllowedMethods(List.of("GET", "POST"));
		browserPages.setAllowedHeaders(List.of("*"));
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration("/oauth2/token", browserPages);
		source.registerCorsConfiguration("/oauth2/jwks", browserPages);
		source.registerCorsConfiguration("/.well-known/**", browserPages);
		return source;
	}

}
