package io.ordersaga.load;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load generator and the benchmark's Kafka ceiling against the suite in secure mode
 * ({@code ./run --secure}): every order with its customer's token from the suite's
 * issuer, the credits with the operator's, the outcomes read from Kafka as the admin, and
 * Kafka's own tools given the admin's settings. Short, so that secure mode's tooling
 * never rots; the figures are not checked.
 */
class SecureLoadIT {

	@Test
	void theLoadGeneratorAndTheCeilingWorkInSecureMode() throws Exception {
		Path home = Path.of("..").toAbsolutePath().normalize();
		// A directory of this run's own; ./run --clean empties the suite's data in it.
		Files.createDirectories(Path.of("target"));
		Path out = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "secure-load-");
		try (LaunchedSuite suite = LaunchedSuite.start(home, out.resolve("run-data"), Map.of(), true,
				new PrintStream(System.out, true, StandardCharsets.UTF_8))) {
			LoadPlan.Target target = suite.target();
			assertThat(target.secure()).isNotNull();

			List<String> arguments = new ArrayList<>(List.of("--secure", "--secrets",
					out.resolve("run-data/secrets").toString(), "--issuer", target.secure().issuer(), "--rate", "20",
					"--duration", "5s", "--customers", "10", "--payments-url", target.paymentsUrl(), "--kafka",
					target.bootstrapServers(), "--orders-url", String.join(",", target.ordersUrls()), "--out",
					out.resolve("results").toString()));
			ByteArrayOutputStream output = new ByteArrayOutputStream();
			ByteArrayOutputStream errors = new ByteArrayOutputStream();
			int status = LoadGenerator.run(arguments.toArray(String[]::new),
					new PrintStream(output, true, StandardCharsets.UTF_8),
					new PrintStream(errors, true, StandardCharsets.UTF_8));

			System.out.print(output.toString(StandardCharsets.UTF_8));
			assertThat(status).as(errors.toString(StandardCharsets.UTF_8)).isZero();
			// The ten customers and the run's customers without an account.
			assertThat(output.toString(StandardCharsets.UTF_8)).contains("Signed in 30 customers at ");
			JsonNode result = JsonMapper.builder()
				.build()
				.readTree(Files.readString(out.resolve("results/open-20.json")));
			assertThat(result.path("sent").asLong()).isGreaterThanOrEqualTo(90);
			assertThat(result.path("accepted").asLong()).isEqualTo(result.path("sent").asLong());
			assertThat(result.path("unfinished").asLong()).isZero();
			assertThat(result.path("outcomes").propertyNames()).contains("CONFIRMED", "CANCELLED INSUFFICIENT_FUNDS",
					"CANCELLED UNKNOWN_CUSTOMER");

			// Without the secrets, one sentence on what to pass.
			ByteArrayOutputStream refused = new ByteArrayOutputStream();
			assertThat(LoadGenerator.run(new String[] { "--secure", "--secrets", out.resolve("nowhere").toString() },
					new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
					new PrintStream(refused, true, StandardCharsets.UTF_8)))
				.isEqualTo(2);
			assertThat(refused.toString(StandardCharsets.UTF_8)).startsWith("No truststore.p12 in ");

			KafkaCeiling ceiling = KafkaCeiling.measure(target, 2_000, 20);
			System.out.println(ceiling);
			assertThat(ceiling.recordsPerSecond()).isPositive();
			assertThat(ceiling.hopP99()).isNotNegative();
		}
	}

}
