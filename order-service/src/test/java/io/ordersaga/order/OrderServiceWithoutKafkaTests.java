package io.ordersaga.order;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

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
		try (ConfigurableApplicationContext app = startWithoutKafka("--spring.kafka.streams.auto-startup=false")) {
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
		long start = System.nanoTime();
		ConfigurableApplicationContext app = startWithoutKafka();
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

	/**
	 * Requests pouring in while Kafka is down: each would wait for Kafka for seconds and
	 * hold one of the 80 request threads, and the health check would wait behind them.
	 * Only a few wait; the rest, and those after a write that failed, are answered at
	 * once.
	 */
	@Test
	void manyRequestsWhileKafkaIsDownAreAnsweredAtOnceAndHealthStillAnswers() throws Exception {
		// With the broker unreachable the producer fails waiting sends one after another,
		// each after max.block.ms: shorter here, and fewer may wait, to keep the test
		// short.
		try (ConfigurableApplicationContext app = startWithoutKafka("--spring.kafka.streams.auto-startup=false",
				"--spring.kafka.producer.properties.max.block.ms=500", "--ordersaga.web.max-kafka-waits=8")) {
			int port = ((WebServerApplicationContext) app).getWebServer().getPort();
			HttpClient http = HttpClient.newBuilder().executor(Executors.newVirtualThreadPerTaskExecutor()).build();
			HttpRequest order = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/orders"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(
						"""
								{"customerId":"alice","currency":"EUR","items":[{"sku":"BOOK-1","quantity":1,"unitPrice":1.00}]}"""))
				.build();
			List<CompletableFuture<String>> answered = new ArrayList<>();
			for (int i = 0; i < 200; i++) {
				answered.add(http.sendAsync(order, HttpResponse.BodyHandlers.ofString()).thenApply((response) -> {
					assertThat(response.statusCode()).isEqualTo(503);
					// Kafka's cool-down, or admission control's second when more orders
					// than it places at once came together.
					assertThat(response.headers().firstValue("Retry-After")).get().isIn("5", "1");
					return response.body();
				}));
			}
			HttpResponse<String> health = http
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/readyz"))
					.timeout(Duration.ofSeconds(30))
					.build(), HttpResponse.BodyHandlers.ofString());

			List<String> answers = new ArrayList<>();
			for (CompletableFuture<String> answer : answered) {
				answers.add(answer.get(60, TimeUnit.SECONDS));
			}
			assertThat(health.statusCode()).isEqualTo(503);
			// Answered without waiting for Kafka: at most 8 wait at once, after a write
			// that failed none waits for a while, and admission control refuses what it
			// does not place at once.
			assertThat(answers.stream()
				.filter((body) -> body.contains("requests are waiting for Kafka already")
						|| body.contains("Kafka did not take a write a moment ago")
						|| body.contains("Too many orders pending"))
				.count()).isGreaterThanOrEqualTo(200 - 8);
		}
	}

	/** Starts order-service with a broker address where nothing listens. */
	private ConfigurableApplicationContext startWithoutKafka(String... more) throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		List<String> arguments = new ArrayList<>(List.of("--server.port=0",
				"--spring.kafka.bootstrap-servers=localhost:" + closedPort,
				"--spring.kafka.streams.state-dir=" + this.stateDir, "--spring.kafka.admin.operation-timeout=1s"));
		arguments.addAll(List.of(more));
		return new SpringApplicationBuilder(OrderServiceApplication.class).run(arguments.toArray(String[]::new));
	}

}
