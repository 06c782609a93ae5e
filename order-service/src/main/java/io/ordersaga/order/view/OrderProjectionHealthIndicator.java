package io.ordersaga.order.view;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * Out of service until the projection has read what the topics held when the instance
 * started, so a load balancer or the run script sends reads only to an instance that can
 * answer them.
 */
@Component
class OrderProjectionHealthIndicator extends AbstractHealthIndicator {

	private final OrderProjection projection;

	OrderProjectionHealthIndicator(OrderProjection projection) {
		this.projection = projection;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.status(this.projection.isCaughtUp() ? Status.UP : Status.OUT_OF_SERVICE)
			.withDetail("caughtUp", this.projection.isCaughtUp());
	}

}
