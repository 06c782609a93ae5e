package io.ordersaga.notification.feed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.NotificationSent;
import io.ordersaga.events.NotificationSent.Channel;
import io.ordersaga.events.kafka.EventCodec;
import io.ordersaga.kafka.test.Actuator;
import io.ordersaga.kafka.test.TestKafkaBroker;
import io.ordersaga.kafka.test.UseTestKafkaBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live streams on a real server, with bounds small enough to reach: three streams in
 * all, two per customer, a heartbeat every second, four notifications queued for a slow
 * client, and sockets whose buffers fill after a few notifications.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.kafka.streams.state-dir=${java.io.tmpdir}/notification-service-tests/${random.uuid}",
				"ordersaga.notifications.streams.max=3", "ordersaga.notifications.streams.max-per-customer=2",
				"ordersaga.notifications.streams.heartbeat=1s", "ordersaga.notifications.streams.queue=4" })
@UseTestKafkaBroker
class NotificationStreamsTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	@LocalServerPort
	private int port;

	@Autowired
	private NotificationStreams streams;

	@Autowired
	private NotificationFeed feed;

	private final List<Socket> sockets = new ArrayList<>();

	@BeforeEach
	void awaitReady() {
		// The feed answers from Kafka Streams' global stores, once it runs.
		Actuator.awaitReady(this.port);
	}

	@AfterEach
	void closeSockets() throws IOException {
		for (Socket socket : this.sockets) {
			socket.close();
		}
		await().atMost(WAIT).until(() -> this.streams.openStreams() == 0);
	}

	@Test
	void streamsAreBoundedInAllAndPerCustomerAndTheRestOfTheApiStillAnswers() throws Exception {
		String alice = TestKafkaBroker.uniqueName("alice");
		assertThat(openStream(alice)).startsWith("HTTP/1.1 200");
		assertThat(openStream(alice)).startsWith("HTTP/1.1 200");

		assertThat(openStream(alice)).startsWith("HTTP/1.1 429").contains("Retry-After: 5");
		assertThat(openStream(TestKafkaBroker.uniqueName("bob"))).startsWith("HTTP/1.1 200");
		assertThat(openStream(TestKafkaBroker.uniqueName("carol"))).startsWith("HTTP/1.1 503")
			.contains("Retry-After: 5")
			.contains("application/problem+json");

		HttpClient http = HttpClient.newHttpClient();
		HttpResponse<String> health = http.send(
				HttpRequest.newBuilder(uri("/readyz")).timeout(Duration.ofSeconds(5)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(health.statusCode()).isEqualTo(200);
		HttpResponse<String> listing = http.send(HttpRequest.newBuilder(uri("/notifications?customerId=" + alice))
			.timeout(Duration.ofSeconds(5))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(listing.statusCode()).isEqualTo(200);
	}

	@Test
	void aClientThatGoesAwayIsNoticedByTheHeartbeatAndItsCustomerForgotten() throws Exception {
		String dave = TestKafkaBroker.uniqueName("dave");
		assertThat(openStream(dave)).startsWith("HTTP/1.1 200");
		assertThat(this.streams.customers()).contains(dave);

		this.sockets.remove(this.sockets.size() - 1).close();

		await().atMost(WAIT).until(() -> !this.streams.customers().contains(dave) && this.streams.openStreams() == 0);
		assertThat(this.feed.subscribedCustomers()).isZero();
	}

	@Test
	void aClientThatStopsReadingHoldsUpNobodyElsesNotifications() throws Exception {
		String stalled = TestKafkaBroker.uniqueName("stalled");
		String reader = TestKafkaBroker.uniqueName("reader");
		assertThat(openStream(stalled)).startsWith("HTTP/1.1 200");
		HttpResponse<InputStream> stream = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(uri("/notifications/stream?customerId=" + reader))
				.header("Accept", "text/event-stream")
				.build(), HttpResponse.BodyHandlers.ofInputStream());
		CompletableFuture<String> pushed = CompletableFuture.supplyAsync(() -> firstData(stream.body(), reader));

		for (int i = 0; i < 40; i++) {
			publish(notification(stalled, "A notification the client never reads " + "x".repeat(2000)));
		}
		publish(notification(reader, "Your order is confirmed"));

		assertThat(pushed.get(30, TimeUnit.SECONDS)).contains("Your order is confirmed");
		await().atMost(WAIT).until(() -> !this.streams.customers().contains(stalled));
		stream.body().close();
	}

	/**
	 * Opens a stream on a raw socket that reads its answer's head and then nothing more,
	 * with a receive buffer of 1 KB so that a server writing to it soon has to wait.
	 */
	private String openStream(String customerId) throws IOException {
		Socket socket = new Socket();
		socket.setReceiveBufferSize(1024);
		socket.connect(new java.net.InetSocketAddress("localhost", this.port), 5000);
		socket.setSoTimeout(10_000);
		this.sockets.add(socket);
		OutputStream out = socket.getOutputStream();
		out.write(("GET /notifications/stream?customerId=" + customerId + " HTTP/1.1\r\nHost: localhost\r\n"
				+ "Accept: text/event-stream\r\n\r\n")
			.getBytes(StandardCharsets.UTF_8));
		out.flush();
		StringBuilder head = new StringBuilder();
		InputStream in = socket.getInputStream();
		while (!head.toString().endsWith("\r\n\r\n")) {
			int read = in.read();
			if (read < 0) {
				break;
			}
			head.append((char) read);
		}
		return head.toString();
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private static String firstData(InputStream body, String customerId) {
		try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
			String line;
			while ((line = lines.readLine()) != null) {
				if (line.startsWith("data:") && line.contains(customerId)) {
					return line;
				}
			}
			return "";
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static EventEnvelope<NotificationSent> notification(String customerId, String text) {
		UUID sourceEventId = UUID.randomUUID();
		return EventEnvelope.first("/notification-service", UUID.randomUUID(), new NotificationSent(UUID.randomUUID(),
				customerId, Channel.IN_APP, "Your order", text, sourceEventId, "OrderConfirmed"));
	}

	private static void publish(EventEnvelope<NotificationSent> event) {
		TestKafkaBroker.send(event.topicName(), event.key(), EventCodec.instance().encode(event));
	}

	/**
	 * Server sockets that buffer little, so a client that does not read stalls a write
	 * soon.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class SmallSocketBuffers {

		@Bean
		WebServerFactoryCustomizer<TomcatServletWebServerFactory> smallSendBuffers() {
			return (factory) -> factory
				.addConnectorCustomizers((connector) -> connector.setProperty("socket.txBufSize", "1024"));
		}

	}

}
