package io.ordersaga.payment.charging;

import io.ordersaga.support.streams.RecordTracing;
import io.ordersaga.support.SagaKafkaProperties;
import io.ordersaga.support.streams.DeadLetterTopics;
import io.ordersaga.support.streams.ProcessingFailures;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;

/** Runs the charging topology and creates payment-service's own topics. */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
class PaymentConfiguration {

	@Bean
	KStream<String, byte[]> charging(StreamsBuilder builder, KafkaProperties kafka, RecordTracing tracing,
			PaymentMetrics metrics, ProcessingFailures failures, SagaKafkaProperties sagaKafka) {
		String applicationId = kafka.getStreams().getApplicationId();
		return PaymentTopology.build(builder, (applicationId != null) ? applicationId : "payment-service", tracing,
				metrics, failures, sagaKafka.stateRetention());
	}

	/** An order read from the repartition by customer is dead-lettered as an order. */
	@Bean
	DeadLetterTopics deadLetterTopics() {
		return PaymentTopology::deadLetterTopic;
	}

}
