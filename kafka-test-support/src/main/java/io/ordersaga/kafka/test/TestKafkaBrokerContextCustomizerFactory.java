package io.ordersaga.kafka.test;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Registered in {@code META-INF/spring.factories}: gives every test class annotated with
 * {@link UseTestKafkaBroker} the shared broker's address before its context refreshes,
 * and holds a {@link TestKafkaBroker#lease() lease} on the broker until it closes.
 */
class TestKafkaBrokerContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		if (!TestContextAnnotationUtils.hasAnnotation(testClass, UseTestKafkaBroker.class)) {
			return null;
		}
		return new BootstrapServersCustomizer();
	}

	/**
	 * All instances are equal, so contexts that differ only by it are still cached once.
	 */
	private record BootstrapServersCustomizer() implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
			Map<String, Object> properties = Map.of("spring.kafka.bootstrap-servers",
					TestKafkaBroker.bootstrapServers());
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("testKafkaBroker", properties));
			// Registered before any other bean, so destroyed after all of them: the
			// broker outlives the context's clients at JVM exit.
			if (context.getBeanFactory() instanceof DefaultSingletonBeanRegistry registry) {
				AutoCloseable lease = TestKafkaBroker.lease();
				registry.registerDisposableBean("testKafkaBrokerLease", lease::close);
			}
		}

	}

}
