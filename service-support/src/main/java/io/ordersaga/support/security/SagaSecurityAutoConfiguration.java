package io.ordersaga.support.security;

import tools.jackson.databind.json.JsonMapper;

import io.ordersaga.support.web.AsyncApiController;
import io.swagger.v3.oas.models.security.OAuthFlow;
import io.swagger.v3.oas.models.security.OAuthFlows;
import io.swagger.v3.oas.models.security.Scopes;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The services' web security, in one of two modes.
 * <ul>
 * <li><b>Open</b> (no issuer configured): the local demo. Nobody is asked who they are;
 * the API and Actuator are bound to this machine (saga-defaults.yml).</li>
 * <li><b>Secure</b> ({@code spring.security.oauth2.resourceserver.jwt.issuer-uri} set, as
 * the {@code secure} profile does): every request needs a JWT from that issuer, except
 * the probes orchestrators call ({@code /livez}, {@code /readyz} and Actuator's health,
 * which shows details only to the operator) and Swagger UI's own pages. A token's
 * {@code roles} claim ({@code customer}, {@code operator}) becomes its authorities; the
 * rest of Actuator needs the operator, and each controller asks {@link CallerAccess}
 * whose data the caller may see. Refusals are problem details.</li>
 * </ul>
 */
@AutoConfiguration(beforeName = {
		"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
		"org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class SagaSecurityAutoConfiguration {

	/** The role that credits accounts and reads Actuator and every customer's data. */
	public static final String OPERATOR = "operator";

	/** The role of a customer, whose token's subject is their customer id. */
	public static final String CUSTOMER = "customer";

	static final String ISSUER_PROPERTY = "spring.security.oauth2.resourceserver.jwt.issuer-uri";

	private static final String SIGN_IN = "sign-in";

	/**
	 * Spring Security observes only authentications, the token checks of the secure mode,
	 * whose failures are worth a metric. It otherwise observes each filter of its chain
	 * on the way in and out, and each authorization, on every request: at saturation that
	 * was about 5% of order-service's CPU (docs/benchmarks-notes.md, 2026-12-06), for
	 * timers that {@code http.server.requests} mostly repeats and spans that nothing
	 * exports. An application's own settings replace these.
	 * @return the settings
	 */
	@Bean
	@ConditionalOnMissingBean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.withDefaults()
			.shouldObserveRequests(false)
			.shouldObserveAuthorizations(false)
			.shouldObserveAuthentications(true)
			.build();
	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(NoIssuer.class)
	static class Open {

		@Bean
		SecurityFilterChain openApi(HttpSecurity http) {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll());
			return stateless(http).build();
		}

		@Bean
		CallerAccess callerAccess() {
			return CallerAccess.open();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = ISSUER_PROPERTY)
	static class Secure {

		@Bean
		SecurityFilterChain securedApi(HttpSecurity http, JsonMapper json) {
			SecurityProblems problems = new SecurityProblems(json);
			http.authorizeHttpRequests((requests) -> requests
				.requestMatchers("/livez", "/readyz", "/error", "/swagger-ui.html", "/swagger-ui/**", "/v3/api-docs",
						"/v3/api-docs/**", AsyncApiController.PATH)
				.permitAll()
				.requestMatchers(EndpointRequest.to("health"))
				.permitAll()
				.requestMatchers(EndpointRequest.toAnyEndpoint())
				.hasRole(OPERATOR)
				.requestMatchers(HttpMethod.POST, "/accounts/*/credits")
				.hasRole(OPERATOR)
				.anyRequest()
				.authenticated())
				.oauth2ResourceServer((server) -> server.jwt((jwt) -> jwt.jwtAuthenticationConverter(rolesFromClaim()))
					.authenticationEntryPoint(problems)
					.accessDeniedHandler(problems))
				.exceptionHandling(
						(exceptions) -> exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems));
			return stateless(http).build();
		}

		@Bean
		CallerAccess callerAccess() {
			return CallerAccess.secured();
		}

		/**
		 * Swagger UI's Authorize button: the issuer's authorization code flow, with PKCE
		 * (springdoc.swagger-ui.oauth in the secure profile), for every operation.
		 */
		@Bean
		OpenApiCustomizer signInWithTheIssuer(Environment environment) {
			String issuer = environment.getRequiredProperty(ISSUER_PROPERTY).replaceAll("/+$", "");
			return (api) -> api.schemaRequirement(SIGN_IN, new SecurityScheme().type(SecurityScheme.Type.OAUTH2)
				.flows(new OAuthFlows().authorizationCode(new OAuthFlow().authorizationUrl(issuer + "/oauth2/authorize")
					.tokenUrl(issuer + "/oauth2/token")
					.scopes(new Scopes()))))
				.addSecurityItem(new SecurityRequirement().addList(SIGN_IN));
		}

		/** {@code "roles": ["operator"]} becomes the authority {@code ROLE_operator}. */
		static JwtAuthenticationConverter rolesFromClaim() {
			JwtGrantedAuthoritiesConverter roles = new JwtGrantedAuthoritiesConverter();
			roles.setAuthoritiesClaimName("roles");
			roles.setAuthorityPrefix("ROLE_");
			JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
			converter.setJwtGrantedAuthoritiesConverter(roles);
			return converter;
		}

	}

	/** No issuer is configured: the open mode. */
	static final class NoIssuer extends NoneNestedConditions {

		NoIssuer() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnProperty(name = ISSUER_PROPERTY)
		static final class IssuerConfigured {

		}

	}

	/**
	 * No session and no CSRF token: every request carries its own credentials (or none,
	 * in the open mode), and no cookie authenticates anything.
	 */
	private static HttpSecurity stateless(HttpSecurity http) {
		return http.csrf(AbstractHttpConfigurer::disable)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((cache) -> cache.disable())
			.httpBasic(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.anonymous(Customizer.withDefaults());
	}

}
