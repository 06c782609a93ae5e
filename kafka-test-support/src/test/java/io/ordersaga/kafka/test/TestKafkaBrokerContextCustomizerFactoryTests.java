package io.ordersaga.kafka.test;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.context.support.GenericApplicationContext;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

class TestKafkaBrokerContextCustomizerFactoryTests {

	@Test
	void contextUsingTheBrokerGetsItsAddressAndHoldsItUntilClosed() {
		ContextCustomizer customizer = new TestKafkaBrokerContextCustomizerFactory()
			.createContextCustomizer(UsesBroker.class, List.of());
		assertThat(customizer).isNotNull();
		int before = TestKafkaBroker.openLeases();

		try (GenericApplicationContext context = new GenericApplicationContext()) {
			customizer.customizeContext(context, new MergedContextConfiguration(UsesBroker.class, new String[0],
					new Class<?>[0], new String[0], null));
			context.refresh();

			assertThat(context.getEnvironment().getProperty("spring.kafka.bootstrap-servers"))
				.isEqualTo(TestKafkaBroker.bootstrapServers());
			assertThat(TestKafkaBroker.openLeases()).isEqualTo(before + 1);
		}

		assertThat(TestKafkaBroker.openLeases()).isEqualTo(before);
	}

	@Test
	void contextNotUsingTheBrokerIsLeftAlone() {
		assertThat(new TestKafkaBrokerContextCustomizerFactory().createContextCustomizer(Object.class, List.of()))
			.isNull();
	}

	@Test
	void leaseReturnedTwiceCountsOnce() throws Exception {
		int before = TestKafkaBroker.openLeases();
		AutoCloseable lease = TestKafkaBroker.lease();
		lease.close();
		lease.close();
		assertThat(TestKafkaBroker.openLeases()).isEqualTo(before);
	}

	@UseTestKafkaBroker
	static class UsesBroker {

	}

}
