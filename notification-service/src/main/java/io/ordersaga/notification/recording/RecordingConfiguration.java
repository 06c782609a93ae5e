package io.ordersaga.notification.recording;

import io.ordersaga.notification.NotificationMetrics;
import io.ordersaga.notification.NotificationProperties;
import io.ordersaga.support.streams.RecordTracing;
import io.ordersaga.support.SagaKafkaProperties;
import io.ordersaga.support.streams.ProcessingFailures;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;

/**
 * Runs the recording topology, and creates the webhook topics the topology writes and the
 * feed reads (the retry topics are created by Spring Kafka's non-blocking retries).
 */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
class RecordingConfiguration {

	@Bean
	KStream<String, byte[]> recording(StreamsBuilder builder, KafkaProperties kafka, RecordTracing tracing,
			NotificationMetrics metrics, NotificationProperties properties, ProcessingFailures failures,
			SagaKafkaProperties sagaKafka) {
		String applicationId = kafka.getStreams().getApplicationId();
		return RecordingTopology.build(builder, (applicationId != null) ? applicationId : "notification-service",
				tracing, metrics, properties.webhookEnabled(), failures, sagaKafka.stateRetention());
	}

}
