package io.ordersaga.support;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Reports the broker as up when it describes its cluster within the timeout and the
 * service's topics exist ({@link TopicCreation}). One admin client is kept for the
 * application's lifetime, so a health probe costs one request, not a new connection.
 */
public class KafkaHealthIndicator extends AbstractHealthIndicator implements DisposableBean {

	private final Map<String, Object> adminConfig;

	private final Duration timeout;

	private final TopicCreation topics;

	private @Nullable Admin admin;

	public KafkaHealthIndicator(Map<String, Object> adminConfig, TopicCreation topics, Duration timeout) {
		super("Kafka health check failed");
		this.adminConfig = new HashMap<>(adminConfig);
		this.adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
		this.adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
		this.timeout = timeout;
		this.topics = topics;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		DescribeClusterResult cluster = admin()
			.describeCluster(new DescribeClusterOptions().timeoutMs((int) this.timeout.toMillis()));
		String clusterId = cluster.clusterId().get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		int nodes = cluster.nodes().get(this.timeout.toMillis(), TimeUnit.MILLISECONDS).size();
		// Reachable but without the topics the service reads and writes is not ready.
		builder.status(this.topics.isDone() ? Status.UP : Status.DOWN)
			.withDetail("clusterId", clusterId)
			.withDetail("nodes", nodes)
			.withDetail("topicsExist", this.topics.isDone());
	}

	private synchronized Admin admin() {
		if (this.admin == null) {
			this.admin = Admin.create(this.adminConfig);
		}
		return this.admin;
	}

	@Override
	public synchronized void destroy() {
		if (this.admin != null) {
			this.admin.close(Duration.ofSeconds(1));
		}
	}

}
