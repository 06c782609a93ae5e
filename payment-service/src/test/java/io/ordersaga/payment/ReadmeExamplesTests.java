package io.ordersaga.payment;

import java.nio.file.Path;
import java.util.List;

import io.ordersaga.kafka.test.ReadmeExamples;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Runs the README's curl examples for payment-service against a running instance. */
@PaymentServiceIntegrationTest
class ReadmeExamplesTests {

	@LocalServerPort
	private int port;

	@Autowired
	private RestTestClient http;

	@Test
	void everyPaymentServiceExampleAnswersAsTheReadmeShows() {
		await()
			.until(() -> this.http.get().uri("/accounts/alice").exchange().returnResult().getStatus().value() == 200);
		List<ReadmeExamples.Example> examples = ReadmeExamples.calling(Path.of("../README.md"), "localhost:8082");
		assertThat(examples).hasSizeGreaterThanOrEqualTo(7);
		for (ReadmeExamples.Example example : examples) {
			assertThat(example.mismatches("localhost:8082", "localhost:" + this.port)).isEmpty();
		}
	}

}
