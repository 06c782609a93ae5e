package io.ordersaga.support;

import java.util.List;
import java.util.Map;

import io.ordersaga.events.KafkaAccess;
import io.ordersaga.events.TopicCatalogue;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which topics a service makes sure exist at start-up: every topic of the catalogue on an
 * open broker, where the first service to start creates them all; in secure mode only
 * those its principal may use, since an admin created them and the service may neither
 * create nor see the others.
 */
class SagaTopicsTests {

	private final SagaKafkaProperties properties = new Binder(new MapConfigurationPropertySource(Map.of()))
		.bindOrCreate("ordersaga.kafka", SagaKafkaProperties.class);

	@Test
	void declaresEveryTopicOfTheCatalogueOnAnOpenBroker() {
		assertThat(declared(new KafkaProperties(), "order-service"))
			.containsExactlyElementsOf(TopicCatalogue.entries().stream().map(TopicCatalogue.Entry::name).toList());
	}

	@Test
	void declaresOnlyTheTopicsItsPrincipalMayUseInSecureMode() {
		KafkaProperties secure = new KafkaProperties();
		secure.getSecurity().setProtocol("SASL_SSL");
		assertThat(declared(secure, "order-service"))
			.containsExactlyInAnyOrderElementsOf(KafkaAccess.topicsOf("order-service"))
			.contains("orders", "payments")
			.doesNotContain("notifications", "payment-accounts");
		assertThat(declared(secure, "payment-service")).contains("payment-accounts").doesNotContain("notifications");
	}

	private List<String> declared(KafkaProperties kafka, String application) {
		return SagaKafkaAutoConfiguration
			.declaredTopics(this.properties.replication(), kafka.getSecurity().getProtocol(), application)
			.stream()
			.map(NewTopic::name)
			.toList();
	}

}
