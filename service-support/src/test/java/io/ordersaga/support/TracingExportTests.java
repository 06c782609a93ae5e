package io.ordersaga.support;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Span export, off unless {@code OTEL_EXPORTER_OTLP_ENDPOINT} names a receiver; then
 * every trace goes to its {@code /v1/traces}, here a real HTTP receiver in the test.
 */
class TracingExportTests {

	@Test
	void oneSettingSendsEveryTraceToTheReceiversTracesPath() {
		StandardEnvironment environment = environment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/"));

		new TracingExport().postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getProperty(TracingExport.EXPORT_ENDPOINT)).isEqualTo("http://collector:4318/v1/traces");
		assertThat(environment.getProperty(TracingExport.SAMPLING, Double.class)).isEqualTo(1.0);
	}

	@Test
	void aSamplingSetInTheEnvironmentWinsOverEveryTrace() {
		StandardEnvironment environment = environment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
				"MANAGEMENT_TRACING_SAMPLING_PROBABILITY", "0.25"));

		new TracingExport().postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getProperty(TracingExport.EXPORT_ENDPOINT)).isEqualTo("http://collector:4318/v1/traces");
		assertThat(environment.getProperty(TracingExport.SAMPLING, Double.class)).isEqualTo(0.25);
	}

	@Test
	void withoutAReceiverNothingIsExportedOrRecorded() {
		StandardEnvironment environment = environment(Map.of());

		new TracingExport().postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.containsProperty(TracingExport.EXPORT_ENDPOINT)).isFalse();
		assertThat(environment.getProperty(TracingExport.SAMPLING, Double.class)).isEqualTo(0.0);
	}

	@Test
	void aSpanReachesARealOtlpReceiver() throws Exception {
		BlockingQueue<String> received = new LinkedBlockingQueue<>();
		HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		receiver.createContext("/v1/traces", (exchange) -> {
			byte[] body = exchange.getRequestBody().readAllBytes();
			received.add(exchange.getRequestHeaders().getFirst("Content-Type") + " "
					+ new String(body, StandardCharsets.ISO_8859_1));
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		receiver.start();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Tracing.class)
			.web(WebApplicationType.NONE)
			.properties(Map.of("spring.application.name", "order-service", TracingExport.ENDPOINT,
					"http://127.0.0.1:" + receiver.getAddress().getPort()))
			.run()) {
			Span span = context.getBean(Tracer.class).nextSpan().name("tracing-export-test").start();
			span.end();
			context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);

			String request = received.poll(10, TimeUnit.SECONDS);
			assertThat(request).startsWith("application/x-protobuf ")
				.contains("tracing-export-test")
				.contains("order-service");
		}
		finally {
			receiver.stop(0);
		}
	}

	/**
	 * An environment as a service's: the given variables, then saga-defaults.yml's
	 * sampling.
	 */
	private static StandardEnvironment environment(Map<String, Object> variables) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new HashMap<>(variables)));
		environment.getPropertySources()
			.addLast(new MapPropertySource("saga-defaults.yml", Map.of(TracingExport.SAMPLING, 0.0)));
		return environment;
	}

	@SpringBootConfiguration
	@ImportAutoConfiguration({ ObservationAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
			OpenTelemetrySdkAutoConfiguration.class, OpenTelemetryTracingAutoConfiguration.class,
			OtlpTracingAutoConfiguration.class })
	static class Tracing {

	}

}
