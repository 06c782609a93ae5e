package io.ordersaga.support.security;

import java.util.Optional;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.ErrorResponseException;

/**
 * Whose data the caller of a request may see and act on. In secure mode a customer's
 * token names them (its subject is their customer id): they place orders, and read
 * orders, their account and notifications, for themselves only; the operator reads
 * everyone's but places no order. In the open mode everyone may do everything.
 *
 * <p>
 * Where a request names a customer (a listing, an account), another customer's gets
 * {@code 403}, which says nothing about whether that customer has data. Where it names a
 * thing by id (an order), the controller answers {@code 404} as for an id that does not
 * exist ({@link #maySee(String)}), so ids cannot be probed.
 */
public final class CallerAccess {

	private final boolean secured;

	private CallerAccess(boolean secured) {
		this.secured = secured;
	}

	static CallerAccess open() {
		return new CallerAccess(false);
	}

	static CallerAccess secured() {
		return new CallerAccess(true);
	}

	/**
	 * Whether callers must show a token.
	 * @return {@code true} in secure mode
	 */
	public boolean isSecured() {
		return this.secured;
	}

	/**
	 * Whether the caller may see a customer's data.
	 * @param customerId the customer whose data it is
	 * @return {@code true} for that customer, the operator, or anyone in the open mode
	 */
	public boolean maySee(String customerId) {
		return !this.secured || hasRole(SagaSecurityAutoConfiguration.OPERATOR)
				|| customer().filter(customerId::equals).isPresent();
	}

	/**
	 * Refuses, with {@code 403}, a caller who may not see a customer's data.
	 * @param customerId the customer the request names
	 */
	public void checkMaySee(String customerId) {
		if (!maySee(customerId)) {
			throw forbidden(
					"You may read only your own data: your token is for customer " + customer().orElse("(none)") + ".");
		}
	}

	/**
	 * Refuses, with {@code 403}, a caller who may not act as this customer: placing an
	 * order needs that customer's own token; the token, not the request's body, decides
	 * who orders.
	 * @param customerId the customer the request acts for
	 */
	public void checkActsAs(String customerId) {
		if (!this.secured) {
			return;
		}
		Optional<String> customer = customer();
		if (customer.isEmpty()) {
			throw forbidden("Only a customer places orders: sign in as one.");
		}
		if (!customer.get().equals(customerId)) {
			throw forbidden("You may place orders only for yourself: your token is for customer " + customer.get()
					+ ", not " + customerId + ".");
		}
	}

	/**
	 * The customer the caller's token is for.
	 * @return its subject, if the token has the customer role
	 */
	public Optional<String> customer() {
		Authentication caller = SecurityContextHolder.getContext().getAuthentication();
		if (caller instanceof JwtAuthenticationToken token && hasRole(SagaSecurityAutoConfiguration.CUSTOMER)) {
			return Optional.ofNullable(token.getToken().getSubject());
		}
		return Optional.empty();
	}

	private static boolean hasRole(String role) {
		Authentication caller = SecurityContextHolder.getContext().getAuthentication();
		return caller != null && caller.getAuthorities()
			.stream()
			.map(GrantedAuthority::getAuthority)
			.anyMatch(("ROLE_" + role)::equals);
	}

	private static ErrorResponseException forbidden(String detail) {
		ErrorResponseException forbidden = new ErrorResponseException(HttpStatus.FORBIDDEN);
		forbidden.getBody().setTitle("Forbidden");
		forbidden.getBody().setDetail(detail);
		return forbidden;
	}

}
