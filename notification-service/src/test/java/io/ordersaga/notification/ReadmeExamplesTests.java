package io.ordersaga.notification;

import java.nio.file.Path;
import java.util.List;

import io.ordersaga.kafka.test.ReadmeExamples;
import io.ordersaga.kafka.test.UseTestKafkaBroker;
import org.junit.jupiter.api.Test;

import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the README's curl examples for notification-service against a running instance.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.kafka.streams.state-dir=${java.io.tmpdir}/notification-service-tests/${random.uuid}")
@AutoConfigureRestTestClient
@UseTestKafkaBroker
class ReadmeExamplesTests {

	@LocalServerPort
	private int port;

	@Test
	void everyNotificationServiceExampleAnswersAsTheReadmeShows() {
		List<ReadmeExamples.Example> examples = ReadmeExamples.calling(Path.of("../README.md"), "localhost:8083");
		assertThat(examples).hasSizeGreaterThanOrEqualTo(3);
		for (ReadmeExamples.Example example : examples) {
			assertThat(example.mismatches("localhost:8083", "localhost:" + this.port)).isEmpty();
		}
	}

}
