package io.ordersaga.support;

import io.ordersaga.support.streams.DeadLetters;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Reports a read model: down while its follower does not read the topics because it
 * failed and waits to try again (with the failure in the details), out of service while
 * it starts or replays what the topics held when the instance started, up once it has.
 * Either way a load balancer or the run script sends reads only to an instance that can
 * answer them, and an orchestrator sees a follower that keeps failing.
 */
public class TopicFollowerHealthIndicator extends AbstractHealthIndicator {

	private final TopicFollower follower;

	public TopicFollowerHealthIndicator(TopicFollower follower) {
		super("Read model health check failed");
		this.follower = follower;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		RuntimeException failure = this.follower.failure();
		if (!this.follower.isFollowing() && failure != null) {
			builder.down()
				.withDetail("following", false)
				.withDetail("failure", DeadLetters.shortened(failure.toString(), 500));
			return;
		}
		builder.status(this.follower.isCaughtUp() ? Status.UP : Status.OUT_OF_SERVICE)
			.withDetail("following", this.follower.isFollowing())
			.withDetail("caughtUp", this.follower.isCaughtUp());
	}

}
