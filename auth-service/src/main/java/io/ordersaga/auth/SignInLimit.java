package io.ordersaga.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds the sign-ins that check passwords at once. Each sign-in costs the issuer two
 * bcrypt hashes (the client's secret and the user's password), about 150 ms of a core, on
 * purpose; a client that sends sign-ins faster than that, whether guessing passwords or
 * only flooding, would otherwise take every core from the issuer's other work (its keys
 * and discovery, which the services read) and from whatever shares the machine. So a few
 * sign-ins are checked at once, a bounded number wait for their turn, and the rest are
 * answered at once with {@code 429} and {@code Retry-After}, before any hash is computed.
 * It applies to {@code POST}s of the token endpoint and the sign-in form.
 */
final class SignInLimit extends OncePerRequestFilter {

	/** How long a sign-in waits for its turn before it is told to come back. */
	static final Duration MAX_WAIT = Duration.ofSeconds(10);

	private static final byte[] TOO_MANY = """
			{"error":"temporarily_unavailable","error_description":"Too many sign-ins at once; try again in a second."}"""
		.getBytes(StandardCharsets.UTF_8);

	/** The sign-ins being checked. */
	private final Semaphore checking;

	/** The sign-ins being checked or waiting for their turn. */
	private final Semaphore admitted;

	/**
	 * A limit.
	 * @param atOnce how many sign-ins are checked at once
	 * @param waiting how many more may wait for their turn
	 */
	SignInLimit(int atOnce, int waiting) {
		this.checking = new Semaphore(atOnce, true);
		this.admitted = new Semaphore(atOnce + waiting);
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !HttpMethod.POST.matches(request.getMethod());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!this.admitted.tryAcquire()) {
			tooMany(response);
			return;
		}
		try {
			if (!this.checking.tryAcquire(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
				tooMany(response);
				return;
			}
			try {
				chain.doFilter(request, response);
			}
			finally {
				this.checking.release();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			tooMany(response);
		}
		finally {
			this.admitted.release();
		}
	}

	/**
	 * How many sign-ins wait for their turn now.
	 * @return an estimate, as {@link Semaphore#getQueueLength()} gives it
	 */
	int waiting() {
		return this.checking.getQueueLength();
	}

	private static void tooMany(HttpServletResponse response) throws IOException {
		response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
		response.setHeader(HttpHeaders.RETRY_AFTER, "1");
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.getOutputStream().write(TOO_MANY);
	}

}
