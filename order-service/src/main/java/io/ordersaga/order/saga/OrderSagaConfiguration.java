package io.ordersaga.order.saga;

import io.ordersaga.order.core.OrderMetrics;
import io.ordersaga.support.streams.RecordTracing;
import io.ordersaga.support.SagaKafkaProperties;
import io.ordersaga.support.streams.ProcessingFailures;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;

/**
 * Runs the saga topology with Spring's Kafka Streams support; the exactly-once guarantee
 * and the state directory are set in {@code application.yml}.
 */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
@EnableConfigurationProperties(SagaProperties.class)
class OrderSagaConfiguration {

	@Bean
	KStream<String, byte[]> orderSaga(StreamsBuilder builder, SagaProperties properties, SagaKafkaProperties sagaKafka,
			OrderMetrics metrics, KafkaProperties kafka, RecordTracing tracing, ProcessingFailures failures) {
		String applicationId = kafka.getStreams().getApplicationId();
		return OrderSagaTopology.build(builder, properties, sagaKafka.stateRetention(), metrics,
				(applicationId != null) ? applicationId : "order-service", tracing, failures);
	}

}
