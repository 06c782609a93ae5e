package io.ordersaga.notification;

import java.time.Duration;

import io.ordersaga.kafka.test.UseTestKafkaBroker;
import io.ordersaga.kafka.test.Actuator;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.kafka.streams.state-dir=${java.io.tmpdir}/notification-service-tests/${random.uuid}")
@AutoConfigureRestTestClient
@UseTestKafkaBroker
class NotificationServiceApplicationTests {

	@Autowired
	private RestTestClient http;

	@LocalManagementPort
	private int managementPort;

	@Test
	void startsAndReportsHealthyOnActuatorsPortAndOnlyUpOnTheApis() {
		// Kafka Streams starts once the cluster has told its id: healthy a moment after.
		await().atMost(Duration.ofMinutes(1))
			.untilAsserted(() -> Actuator.client(this.managementPort)
				.get()
				.uri("/actuator/health")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("UP")
				.jsonPath("$.components.kafkaStreams.status")
				.isEqualTo("UP"));
		this.http.get()
			.uri("/readyz")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.json("{\"status\":\"UP\"}", JsonCompareMode.STRICT);
		this.http.get().uri("/actuator/health").exchange().expectStatus().isNotFound();
	}

}
