package io.ordersaga.order;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** With no broker to talk to, a POST fails fast and clearly, and nothing is written. */
class OrderServiceWithoutKafkaTests {

	@TempDir
	Path stateDir;

	@Test
	void answers503WithinTheSendTimeoutWhenKafkaIsUnreachable() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(OrderServiceApplication.class).run(
				"--server.port=0", "--spring.kafka.bootstrap-servers=localhost:" + closedPort,
				"--spring.kafka.streams.state-dir=" + this.stateDir, "--spring.kafka.admin.operation-timeout=1s",
				"--spring.kafka.streams.auto-startup=false")) {
			int port = ((WebServerApplicationContext) app).getWebServer().getPort();
			RestClient http = RestClient.builder().baseUrl("http://localhost:" + port).build();

			long start = System.nanoTime();
			ResponseEntity<String> response = http.post()
				.uri("/orders")
				.contentType(MediaType.APPLICATION_JSON)
				.body("""
						{"customerId":"alice","currency":"EUR","items":[{"sku":"BOOK-1","quantity":1,"unitPrice":1.00}]}""")
				.retrieve()
				.onStatus((status) -> true, (request, reply) -> {
				})
				.toEntity(String.class);
			Duration took = Duration.ofNanos(System.nanoTime() - start);

			assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			assertThat(response.getHeaders().getFirst("Retry-After")).isEqualTo("5");
			assertThat(response.getBody()).contains("Kafka did not accept the order in time");
			assertThat(took).isLessThan(Duration.ofSeconds(15));
		}
	}

	/**
	 * Kafka Streams waits for the cluster (to check its local state) on a thread of its
	 * own: a service started before Kafka finishes starting, answers, and stops at once.
	 */
	@Test
	void startsAndStopsAtOnceWhileKafkaIsUnreachable() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		long start = System.nanoTime();
		ConfigurableApplicationContext app = new SpringApplicationBuilder(OrderServiceApplication.class).run(
				"--server.port=0", "--spring.kafka.bootstrap-servers=localhost:" + closedPort,
				"--spring.kafka.streams.state-dir=" + this.stateDir, "--spring.kafka.admin.operation-timeout=1s");
		try {
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
			assertThat(app.getBean(StreamsBuilderFactoryBean.class).getKafkaStreams()).isNull();
		}
		finally {
			long stop = System.nanoTime();
			app.close();
			assertThat(Duration.ofNanos(System.nanoTime() - stop)).isLessThan(Duration.ofSeconds(30));
		}
	}

}
