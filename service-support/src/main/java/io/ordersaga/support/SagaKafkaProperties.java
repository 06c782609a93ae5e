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
 * @param stateRetention how long, in stream time, the state stores keep what is kept only
 * to recognise a late duplicate or a late event: a finished saga, a payment outcome
 * parked for an order that never came, a decision on an order, the ids of what was
 * already done ({@link io.ordersaga.support.streams.StoreExpiry}). A day: duplicates are
 * written within seconds of the original, and an order's events follow it within the
 * payment timeout; a day also covers the events of one part of the suite that lagged
 * behind the others for hours. Longer costs disk in proportion (docs/architecture.md)
 */
@ConfigurationProperties("ordersaga.kafka")
public record SagaKafkaProperties(@DefaultValue("1") short replicationFactor,
		@DefaultValue("2s") Duration healthTimeout, @DefaultValue("24h") Duration stateRetention) {

}
