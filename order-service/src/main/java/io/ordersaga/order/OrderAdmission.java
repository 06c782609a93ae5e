package io.ordersaga.order;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ordersaga.order.view.OrderProjection;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Admission control: an order is taken only while the saga can finish it well within its
 * payment timeout. While more orders are pending (placed and not yet ended, on every
 * instance, as the projection reads them) than
 * {@code ordersaga.orders.max-pending-orders}, {@code POST /orders} is answered
 * {@code 503} with {@code Retry-After} at once, before its body is read and before
 * anything is written, so a retry with the same {@code Idempotency-Key} places the order
 * once. Without it the suite took orders faster than it finished them, the line grew by
 * the difference, and payable orders were cancelled with {@code PAYMENT_TIMEOUT} by
 * nothing but the suite's own backlog.
 */
@Component
class OrderAdmission implements HandlerInterceptor, WebMvcConfigurer {

	private final OrderProjection projection;

	private final int maxPendingOrders;

	private final Counter refused;

	OrderAdmission(OrderProjection projection, OrderProperties properties, MeterRegistry registry) {
		this.projection = projection;
		this.maxPendingOrders = properties.maxPendingOrders();
		this.refused = Counter.builder("orders.refused")
			.description("Orders refused because too many were pending")
			.register(registry);
		Gauge.builder("orders.pending", projection, OrderProjection::pendingOrders)
			.description("Orders placed within the payment timeout and not ended yet, on every instance")
			.register(registry);
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this).addPathPatterns("/orders");
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (HttpMethod.POST.matches(request.getMethod())) {
			int pending = this.projection.pendingOrders();
			if (pending >= this.maxPendingOrders) {
				this.refused.increment();
				throw new TooManyPendingOrdersException(pending);
			}
		}
		return true;
	}

	/** Refused before anything was written; 503 with {@code Retry-After}. */
	static final class TooManyPendingOrdersException extends ErrorResponseException {

		private static final HttpHeaders RETRY_AFTER = retryAfter();

		TooManyPendingOrdersException(int pending) {
			super(HttpStatus.SERVICE_UNAVAILABLE);
			getBody().setTitle("Too many orders pending");
			getBody().setDetail(pending + " orders are still being processed, more than order-service takes on at "
					+ "once. Nothing was placed; retry after a second with the same Idempotency-Key.");
		}

		@Override
		public HttpHeaders getHeaders() {
			return RETRY_AFTER;
		}

		private static HttpHeaders retryAfter() {
			HttpHeaders headers = new HttpHeaders();
			headers.set(HttpHeaders.RETRY_AFTER, "1");
			return HttpHeaders.readOnlyHttpHeaders(headers);
		}

	}

}
