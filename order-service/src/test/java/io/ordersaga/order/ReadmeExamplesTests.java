package io.ordersaga.order;

import java.nio.file.Path;
import java.util.List;

import io.ordersaga.kafka.test.ReadmeExamples;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the README's curl examples for order-service, in order, against a running
 * instance, and checks each response against the status line and headers the README
 * shows.
 */
@OrderServiceIntegrationTest
class ReadmeExamplesTests {

	@LocalServerPort
	private int port;

	@Test
	void everyOrderServiceExampleAnswersAsTheReadmeShows() {
		List<ReadmeExamples.Example> examples = ReadmeExamples.calling(Path.of("../README.md"), "localhost:8081");
		assertThat(examples).hasSizeGreaterThanOrEqualTo(7);
		for (ReadmeExamples.Example example : examples) {
			assertThat(example.mismatches("localhost:8081", "localhost:" + this.port)).isEmpty();
		}
	}

}
