package io.ordersaga.support.web;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * Kafka could not take a write in time; answered with 503 and a {@code Retry-After},
 * since the request itself was fine.
 */
public class BrokerUnavailableException extends ErrorResponseException {

	private static final HttpHeaders RETRY_AFTER = HttpHeaders.readOnlyHttpHeaders(retryAfter());

	public BrokerUnavailableException(String detail, @Nullable Throwable cause) {
		super(HttpStatus.SERVICE_UNAVAILABLE, cause);
		getBody().setTitle("Kafka unavailable");
		getBody().setDetail(detail);
	}

	@Override
	public HttpHeaders getHeaders() {
		return RETRY_AFTER;
	}

	private static HttpHeaders retryAfter() {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, "5");
		return headers;
	}

}
