package io.ordersaga.support;

import java.util.function.Consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service's dead-letter counts exist at zero for every topic it reads, so that
 * Prometheus counts the first dead letter too.
 */
class DeadLetterCounterTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@Test
	void everyTopicTheServiceReadsHasItsCountFromTheStart() {
		Consumer<String> deadLetter = SagaKafkaAutoConfiguration.deadLetterCounter(this.registry, "payment-service");

		assertThat(this.registry.find("saga.dead.letters").counters())
			.extracting((counter) -> counter.getId().getTag("topic"))
			.contains("orders", "payment-account-commands")
			.noneMatch((topic) -> topic.endsWith("-dlt"))
			.doesNotContain("payments");
		assertThat(this.registry.find("saga.dead.letters").counters()).allMatch((counter) -> counter.count() == 0);

		deadLetter.accept("orders");
		deadLetter.accept("some-internal-topic");

		assertThat(this.registry.counter("saga.dead.letters", "topic", "orders").count()).isEqualTo(1);
		Counter other = this.registry.find("saga.dead.letters").tag("topic", "some-internal-topic").counter();
		assertThat(other).isNotNull();
		assertThat(other.count()).isEqualTo(1);
	}

}
