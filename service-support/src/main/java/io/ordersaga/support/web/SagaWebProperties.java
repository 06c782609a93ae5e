package io.ordersaga.support.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the services' REST APIs.
 *
 * @param maxRequestBodySize the largest request body accepted; larger ones get 413
 * @param maxKafkaWaits how many requests may wait on Kafka at once ({@link KafkaWaits}):
 * four fifths of the 80 request threads, more than a saturating load keeps waiting (a
 * burst of 20 credits right after a start already had 16 waiting), and the other 16 stay
 * free for health checks, reads that need no wait and refusals
 * @param kafkaCoolDown how long requests are answered 503 at once after a write Kafka did
 * not acknowledge in time; the {@code Retry-After} the answers give
 */
@ConfigurationProperties("ordersaga.web")
public record SagaWebProperties(@DefaultValue("64KB") DataSize maxRequestBodySize,
		@DefaultValue("64") int maxKafkaWaits, @DefaultValue("5s") Duration kafkaCoolDown) {

}
