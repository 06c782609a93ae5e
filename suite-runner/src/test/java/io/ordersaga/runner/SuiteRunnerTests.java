package io.ordersaga.runner;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The suite as the run command starts it — the broker from the Kafka jars and the three
 * services from their built jars, each in its own process — takes an order through the
 * saga.
 */
class SuiteRunnerTests {

	@TempDir
	Path data;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void runsAnOrderThroughTheWholeSuiteAndStopsEveryProcess() throws Exception {
		SuiteRunner.Settings settings = new SuiteRunner.Settings(Path.of("..").toAbsolutePath().normalize(), this.data,
				false, freePort(), freePort(), freePort(), freePort(), freePort());
		SuiteRunner suite = SuiteRunner.start(settings, new PrintStream(OutputStream.nullOutputStream()));
		try {
			String orders = suite.service("order-service").url();
			HttpResponse<String> placed = this.http.send(HttpRequest.newBuilder(URI.create(orders + "/orders"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(
						"""
								{"customerId":"alice","currency":"EUR","items":[{"sku":"BOOK-1","quantity":2,"unitPrice":12.50}]}"""))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(placed.statusCode()).isEqualTo(202);
			String location = placed.headers().firstValue("Location").orElseThrow();

			await().atMost(Duration.ofSeconds(60)).until(() -> get(orders + location).contains("\"CONFIRMED\""));
			await().atMost(Duration.ofSeconds(60))
				.until(() -> get(suite.service("notification-service").url() + "/notifications?customerId=alice")
					.contains("Your order is confirmed"));
			assertThat(get(suite.service("payment-service").url() + "/accounts/alice")).contains("\"balance\":975.00");
			assertThat(suite.readyLine()).contains(orders + "/swagger-ui/index.html");

			List<String> demo = new Demo(orders, suite.service("notification-service").url())
				.run(new PrintStream(OutputStream.nullOutputStream()));
			assertThat(demo).hasSize(4);
			assertThat(demo.get(0)).contains("-> CONFIRMED").contains("Your order is confirmed");
			assertThat(demo.get(1)).contains("-> CANCELLED INSUFFICIENT_FUNDS").contains("Your order was cancelled");
			assertThat(demo.get(2)).contains("-> CANCELLED INSUFFICIENT_FUNDS");
			assertThat(demo.get(3)).contains("-> CANCELLED UNKNOWN_CUSTOMER").contains("Your order was cancelled");
		}
		finally {
			suite.close();
		}
		assertThat(suite.service("order-service").process().isAlive()).isFalse();
		assertThat(suite.service("payment-service").process().isAlive()).isFalse();
	}

	@Test
	void namesThePortThatIsAlreadyInUse() throws Exception {
		try (ServerSocket taken = new ServerSocket(0)) {
			SuiteRunner.Settings settings = new SuiteRunner.Settings(Path.of(".."), this.data, false,
					taken.getLocalPort(), freePort(), freePort(), freePort(), freePort());
			assertThatExceptionOfType(SuiteRunner.PortInUseException.class)
				.isThrownBy(() -> SuiteRunner.start(settings, new PrintStream(OutputStream.nullOutputStream())))
				.withMessageContaining("Port " + taken.getLocalPort() + " (for Kafka) is already in use");
		}
	}

	private String get(String url) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
			.body();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
