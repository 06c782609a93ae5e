package io.ordersaga.order;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * An {@code Idempotency-Key} that already placed an order came with a different order.
 */
class IdempotencyKeyReusedException extends ErrorResponseException {

	IdempotencyKeyReusedException(String key, UUID orderId) {
		super(HttpStatus.UNPROCESSABLE_CONTENT);
		getBody().setTitle("Idempotency key already used");
		getBody().setDetail("The Idempotency-Key '" + key + "' already placed order " + orderId
				+ " with a different body. Use a new key for a new order.");
		getBody().setProperty("orderId", orderId);
	}

}
