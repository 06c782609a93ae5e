package io.ordersaga.kafka.test;

import java.time.Duration;

import org.awaitility.Awaitility;

import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * A running service's Actuator, on its own port and this machine's loopback address,
 * where the services bind it.
 */
public final class Actuator {

	private Actuator() {
	}

	/**
	 * A client of a service's Actuator.
	 * @param managementPort Actuator's port
	 * @return the client
	 */
	public static RestTestClient client(int managementPort) {
		return RestTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort).build();
	}

	/**
	 * Waits until a service says it is ready on its API's port ({@code /readyz}: all of
	 * its health, Kafka Streams running included), as an orchestrator waits before it
	 * sends the service requests.
	 * @param apiPort the port of the service's API
	 */
	public static void awaitReady(int apiPort) {
		RestTestClient api = RestTestClient.bindToServer().baseUrl("http://localhost:" + apiPort).build();
		Awaitility.await("readiness of the service on port " + apiPort)
			.atMost(Duration.ofMinutes(1))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> api.get().uri("/readyz").exchange().returnResult().getStatus().is2xxSuccessful());
	}

	/**
	 * What the service's Prometheus endpoint shows now.
	 * @param managementPort Actuator's port
	 * @return the metrics in Prometheus' text format
	 */
	public static String prometheus(int managementPort) {
		String metrics = client(managementPort).get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		return (metrics != null) ? metrics : "";
	}

}
