package io.ordersaga.support;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Kafka settings shared by the services.
 *
 * @param replicationFactor the replication factor of the topics the services create; 1
 * for the single-broker setups this project ships
 * @param healthTimeout how long the health check waits for the broker to answer
 */
@ConfigurationProperties("ordersaga.kafka")
public record SagaKafkaProperties(@DefaultValue("1") short replicationFactor,
		@DefaultValue("2s") Duration healthTimeout) {

}
