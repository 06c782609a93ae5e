package io.ordersaga.support;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Turns span export on with one setting, the one OpenTelemetry's own tools read:
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} (or {@code ordersaga.tracing.otlp-endpoint}), the
 * base URL of an OTLP/HTTP receiver such as {@code http://localhost:4318}. It then sends
 * spans to its {@code /v1/traces}, as the OpenTelemetry specification builds a signal's
 * URL from that variable, and records every trace, unless
 * {@code management.tracing.sampling.probability} is set in the environment, on the
 * command line or as a system property. Without it nothing is exported and, as
 * {@code saga-defaults.yml} says, no span is recorded: tracing costs nothing when nobody
 * looks. Trace ids still travel in the {@code traceparent} headers either way.
 */
public class TracingExport implements EnvironmentPostProcessor, Ordered {

	/** The base URL of the OTLP/HTTP receiver, in the suite's own properties. */
	static final String ENDPOINT = "ordersaga.tracing.otlp-endpoint";

	/** OpenTelemetry's variable for the same base URL. */
	static final String OTEL_ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";

	/** Spring Boot's property for where spans go. */
	static final String EXPORT_ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";

	static final String SAMPLING = "management.tracing.sampling.probability";

	@Override
	public int getOrder() {
		// After the application's files and saga-defaults.yml are read.
		return ConfigDataEnvironmentPostProcessor.ORDER + 1;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String endpoint = environment.getProperty(ENDPOINT, environment.getProperty(OTEL_ENDPOINT, ""));
		if (endpoint.isBlank() || environment.containsProperty(EXPORT_ENDPOINT)) {
			return;
		}
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put(EXPORT_ENDPOINT, endpoint.replaceAll("/+$", "") + "/v1/traces");
		if (!setOutsideTheFiles(environment, SAMPLING)) {
			settings.put(SAMPLING, 1.0);
		}
		// Before the files: saga-defaults.yml's sampling of 0 must not win.
		environment.getPropertySources()
			.addAfter(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new MapPropertySource("ordersagaTracingExport", settings));
	}

	/**
	 * Whether a property is set by the environment, a system property or the command
	 * line.
	 */
	private static boolean setOutsideTheFiles(ConfigurableEnvironment environment, String name) {
		for (PropertySource<?> source : environment.getPropertySources()) {
			String sourceName = source.getName();
			boolean outside = sourceName.equals(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME)
					|| sourceName.equals(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME)
					|| sourceName.equals("commandLineArgs");
			if (outside && (source.containsProperty(name)
					|| source.containsProperty(name.toUpperCase().replace('.', '_')))) {
				return true;
			}
		}
		return false;
	}

}
