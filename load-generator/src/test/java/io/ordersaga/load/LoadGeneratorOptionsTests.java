package io.ordersaga.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** {@code ./load}'s command line, as a user types it, right or wrong. */
class LoadGeneratorOptionsTests {

	@Test
	void readsAnOpenModelRunWithItsDuration() {
		LoadGenerator.Options options = LoadGenerator.Options
			.parse(new String[] { "--rate", "500", "--duration", "2m", "--customers", "50" });
		assertThat(options.mode).isEqualTo(LoadPlan.Mode.OPEN);
		assertThat(options.rate).isEqualTo(500);
		assertThat(options.duration).isEqualTo(Duration.ofMinutes(2));
		assertThat(options.customers).isEqualTo(50);
		assertThat(options.label()).isEqualTo("open-500");
	}

	@Test
	void readsAMaxThroughputRun() {
		LoadGenerator.Options options = LoadGenerator.Options
			.parse(new String[] { "--max", "--concurrency", "16", "--duration", "45s" });
		assertThat(options.label()).isEqualTo("max-16");
		assertThat(options.mode).isEqualTo(LoadPlan.Mode.MAX);
		assertThat(options.duration).isEqualTo(Duration.ofSeconds(45));
	}

	@Test
	void readsAFloodOfClientsThatIgnoreRetryAfterWhicheverOptionComesFirst() {
		for (String[] args : List.of(new String[] { "--max", "--ignore-retry-after" },
				new String[] { "--ignore-retry-after", "--max", "--no-idempotency-key" })) {
			LoadGenerator.Options options = LoadGenerator.Options.parse(args);
			assertThat(options.mode).isEqualTo(LoadPlan.Mode.FLOOD);
			assertThat(options.label()).startsWith("flood-64");
		}
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LoadGenerator.Options.parse(new String[] { "--rate", "10", "--ignore-retry-after" }))
			.withMessage("--ignore-retry-after goes with --max: an open model sends its orders whatever the answers");
	}

	@Test
	void signsInToASecureSuiteWithTheSecretsOfItsRun(@TempDir Path dir) throws IOException {
		assertThat(LoadGenerator.Options.parse(new String[0]).target().secure()).isNull();
		// The secrets ./run --secure makes, as files.
		Files.createDirectories(dir.resolve("passwords"));
		for (String file : List.of("truststore.p12", "passwords/truststore", "passwords/admin", "passwords/operator",
				"passwords/order-saga-cli", "passwords/load-customers")) {
			Files.writeString(dir.resolve(file), "x");
		}
		LoadGenerator.Options options = LoadGenerator.Options
			.parse(new String[] { "--secure", "--secrets", dir.toString(), "--issuer", "http://localhost:18084" });
		SecureAccess secure = options.target().secure();
		assertThat(secure).isNotNull();
		assertThat(secure.issuer()).isEqualTo("http://localhost:18084");
		assertThat(secure.kafkaClient()).containsEntry("security.protocol", "SASL_SSL")
			.containsEntry("sasl.mechanism", "SCRAM-SHA-512");

		// A file missing: one sentence on what to pass, before anything is sent.
		Files.delete(dir.resolve("passwords/load-customers"));
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		assertThat(LoadGenerator.run(new String[] { "--secure", "--secrets", dir.toString() },
				new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8)))
			.isEqualTo(2);
		assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("No passwords/load-customers in " + dir
				+ ": point --secrets at the secrets of ./run --secure (.run-data/secrets)");
	}

	@Test
	void sendsAnIdempotencyKeyUnlessToldNotTo() {
		assertThat(LoadGenerator.Options.parse(new String[] { "--max" }).keyed).isTrue();
		LoadGenerator.Options unkeyed = LoadGenerator.Options.parse(new String[] { "--max", "--no-idempotency-key" });
		assertThat(unkeyed.keyed).isFalse();
		assertThat(unkeyed.label()).isEqualTo("max-64-unkeyed");
	}

	@Test
	void spreadsTheOrdersOverEveryOrderServiceItIsGiven() {
		assertThat(LoadGenerator.Options.parse(new String[0]).ordersUrls).containsExactly("http://localhost:8081");
		assertThat(LoadGenerator.Options
			.parse(new String[] { "--orders-url", "http://localhost:8081, http://localhost:8181" }).ordersUrls)
			.containsExactly("http://localhost:8081", "http://localhost:8181");
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> LoadGenerator.Options.parse(new String[] { "--orders-url", "http://localhost:8081,8181" }))
			.withMessage("--orders-url needs a plain HTTP URL, such as http://localhost:8081, not '8181'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LoadGenerator.Options.parse(new String[] { "--orders-url", "http://localhost:8081," }))
			.withMessage("--orders-url needs a plain HTTP URL, such as http://localhost:8081, not ''");
	}

	@Test
	void namesWhatIsWrongWithAnOption() {
		assertThatIllegalArgumentException().isThrownBy(() -> LoadGenerator.Options.parse(new String[] { "--rat" }))
			.withMessage("Unknown option --rat");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LoadGenerator.Options.parse(new String[] { "--rate", "fast" }))
			.withMessage("--rate needs a whole number above 0, not 'fast'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LoadGenerator.Options.parse(new String[] { "--concurrency", "0" }))
			.withMessage("--concurrency needs a whole number above 0, not '0'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LoadGenerator.Options.parse(new String[] { "--duration", "1h" }))
			.withMessage("--duration needs seconds or minutes, such as 30s or 2m, not '1h'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LoadGenerator.Options.parse(new String[] { "--duration" }))
			.withMessage("--duration needs a value");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LoadGenerator.Options.parse(new String[] { "--orders-url", "https://shop.example" }))
			.withMessage(
					"--orders-url needs a plain HTTP URL, such as http://localhost:8081, not 'https://shop.example'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> LoadGenerator.Options.parse(new String[] { "--payments-url", "localhost:8082" }))
			.withMessage("--payments-url needs a plain HTTP URL, such as http://localhost:8081, not 'localhost:8082'");
	}

	@Test
	void usageNamesEveryOption() {
		assertThat(LoadGenerator.Options.USAGE).contains("--rate", "--max", "--ignore-retry-after", "--concurrency",
				"--duration", "--customers", "--no-idempotency-key", "--orders-url", "--payments-url", "--kafka",
				"--out");
	}

	@Test
	void saysInOneLineThatOrderServiceDoesNotAnswer() throws IOException {
		String nowhere = "http://localhost:" + freePort();
		ByteArrayOutputStream err = new ByteArrayOutputStream();

		int status = LoadGenerator.run(new String[] { "--orders-url", nowhere, "--payments-url", nowhere },
				new PrintStream(OutputStream.nullOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));

		assertThat(status).isEqualTo(1);
		assertThat(err.toString(StandardCharsets.UTF_8).lines()).singleElement(as(InstanceOfAssertFactories.STRING))
			.startsWith("order-service does not answer at " + nowhere + " (")
			.endsWith("). Start the suite with ./run, or point --orders-url at a running one.");
	}

	@Test
	void asksEveryOrderServiceItIsGivenAndNamesTheOneThatDoesNotAnswer() throws IOException {
		String nowhere = "http://localhost:" + freePort();
		assertThat(errorOfARunWithOneOrderServiceUp((up) -> up + "," + nowhere, nowhere))
			.startsWith("order-service does not answer at " + nowhere + " (");
	}

	@Test
	void sendsAnOrderToTheNextOrderServiceWhenItsOwnRefusesTheConnection() throws IOException {
		try (ScriptedServer up = new ScriptedServer();
				Http down = new Http("http://localhost:" + freePort(), Duration.ofSeconds(1), Duration.ofSeconds(1));
				Http other = new Http(up.url(), Duration.ofSeconds(1), Duration.ofSeconds(1))) {
			up.answer("HTTP/1.1 202 \r\nContent-Length: 2\r\n\r\n{}");
			up.answer("HTTP/1.1 202 \r\nContent-Length: 2\r\n\r\n{}");

			assertThat(LoadRun.post(List.of(down, other), 0, "key-0", "{}", null).status()).isEqualTo(202);
			assertThat(LoadRun.post(List.of(down, other), 1, "key-1", "{}", null).status()).isEqualTo(202);
			assertThat(up.requests()).hasSize(2)
				.allSatisfy((request) -> assertThat(request).startsWith("POST /orders HTTP/1.1\r\n"));
			assertThatExceptionOfType(ConnectException.class)
				.isThrownBy(() -> LoadRun.post(List.of(down, down), 0, "key-2", "{}", null));
		}
	}

	@Test
	void saysInOneLineThatPaymentServiceDoesNotAnswer() throws IOException {
		String nowhere = "http://localhost:" + freePort();
		assertThat(errorOfARunWithOneOrderServiceUp((up) -> up, nowhere))
			.startsWith("payment-service does not answer at " + nowhere + " (")
			.endsWith("). Start the suite with ./run, or point --payments-url at a running one.");
	}

	/**
	 * Runs the generator with an order-service that answers its probe, and returns the
	 * one line it printed when it stopped.
	 * @param ordersUrls the {@code --orders-url} value, given the answering server's URL
	 * @param paymentsUrl the {@code --payments-url} value
	 */
	private static String errorOfARunWithOneOrderServiceUp(UnaryOperator<String> ordersUrls, String paymentsUrl)
			throws IOException {
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		try (ScriptedServer orderService = new ScriptedServer()) {
			orderService.answer("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n");

			int status = LoadGenerator.run(
					new String[] { "--orders-url", ordersUrls.apply(orderService.url()), "--payments-url",
							paymentsUrl },
					new PrintStream(OutputStream.nullOutputStream()),
					new PrintStream(err, true, StandardCharsets.UTF_8));

			assertThat(status).isEqualTo(1);
			assertThat(orderService.requests()).singleElement(as(InstanceOfAssertFactories.STRING))
				.startsWith("GET /readyz HTTP/1.1\r\n");
		}
		List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
		assertThat(lines).hasSize(1);
		return lines.get(0);
	}

	/** A port on this machine where nothing listens, as far as anyone can tell. */
	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
