package io.ordersaga.kafka.test;

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
