package io.ordersaga.order;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** No order has the id that was asked for. */
class OrderNotFoundException extends ErrorResponseException {

	OrderNotFoundException(UUID orderId) {
		super(HttpStatus.NOT_FOUND);
		getBody().setTitle("Order not found");
		getBody().setDetail("There is no order " + orderId + ".");
	}

}
