package io.ordersaga.order;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.client.RestTestClient;

@OrderServiceIntegrationTest
class OrderServiceApplicationTests {

	@Autowired
	private RestTestClient http;

	@Test
	void reportsItselfKafkaAndItsStreamsAsHealthy() {
		this.http.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("UP")
			.jsonPath("$.components.kafka.status")
			.isEqualTo("UP")
			.jsonPath("$.components.kafkaStreams.status")
			.isEqualTo("UP");
	}

	@Test
	void publishesItsApiAsOpenApiWithASwaggerUi() {
		this.http.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.paths['/orders'].post")
			.exists();
		this.http.get().uri("/swagger-ui/index.html").exchange().expectStatus().isOk();
	}

}
