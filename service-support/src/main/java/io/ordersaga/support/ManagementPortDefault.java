package io.ordersaga.support;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives Actuator a port of its own when none is set: the service's port plus 1,000
 * (order-service's 8081 makes 9081), or a free one when the service's port is chosen
 * freely ({@code 0}). A port derived from the service's keeps a second instance started
 * by hand on another port ({@code --server.port=8092}) from colliding with the first on a
 * fixed management port.
 */
public class ManagementPortDefault implements EnvironmentPostProcessor, Ordered {

	static final String MANAGEMENT_PORT = "management.server.port";

	static final int OFFSET = 1000;

	@Override
	public int getOrder() {
		// After the application's own files and the environment are read.
		return ConfigDataEnvironmentPostProcessor.ORDER + 1;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.containsProperty(MANAGEMENT_PORT)) {
			return;
		}
		Integer port = environment.getProperty("server.port", Integer.class);
		if (port == null) {
			// Not a service of the suite: Actuator stays where Spring Boot puts it.
			return;
		}
		int management = (port <= 0 || port + OFFSET > 65535) ? 0 : port + OFFSET;
		environment.getPropertySources()
			.addLast(new MapPropertySource("ordersagaManagementPort", Map.of(MANAGEMENT_PORT, management)));
	}

}
