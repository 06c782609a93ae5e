package io.ordersaga.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./run --prometheus} takes the monitoring compose file's scrape configuration and
 * changes only its targets. {@code EndToEndIT} runs it against the suite.
 */
class LocalPrometheusTests {

	@TempDir
	Path dir;

	@Test
	void eachServicesTargetBecomesEveryInstanceOfItOnThisMachineAndNothingElseChanges()
			throws IOException, InterruptedException {
		String compose = Files.readString(ComposeFile.HOME.resolve(LocalPrometheus.CONFIGURATION));

		String local = LocalPrometheus.forThisMachine(compose,
				(service) -> List.of("http://127.0.0.1:" + (service.hashCode() & 0x3fff),
						"http://127.0.0.1:" + ((service.hashCode() & 0x3fff) + 100)));

		for (String service : List.of("order-service", "payment-service", "notification-service")) {
			int port = service.hashCode() & 0x3fff;
			assertThat(local).contains("targets: [\"127.0.0.1:" + port + "\", \"127.0.0.1:" + (port + 100) + "\"]")
				.doesNotContain("\"" + service + ":");
		}
		assertThat(local.replaceAll("targets: \\[[^]]*]", "targets"))
			.isEqualTo(compose.replaceAll("targets: \\[[^]]*]", "targets"));
		Path file = this.dir.resolve("prometheus.yml");
		Files.writeString(file, local);
		Process check = new ProcessBuilder("promtool", "check", "config", file.toString()).redirectErrorStream(true)
			.start();
		String output = new String(check.getInputStream().readAllBytes());
		assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(check.exitValue()).as(output).isZero();
	}

}
