package io.ordersaga.runner;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./run} as a user meets it when something is in its way. */
class RunCommandIT {

	@TempDir
	Path data;

	@Test
	void namesAPortThatIsAlreadyInUseInOneLineAndStartsNothing() throws Exception {
		try (ServerSocket taken = new ServerSocket(0)) {
			Finished run = run(Map.of("ORDER_SERVICE_PORT", String.valueOf(taken.getLocalPort()), "KAFKA_PORT",
					String.valueOf(freePort()), "KAFKA_CONTROLLER_PORT", String.valueOf(freePort())));

			assertThat(run.exitCode()).isEqualTo(2);
			assertThat(run.output().lines()).containsExactly("Port " + taken.getLocalPort()
					+ " (for order-service) is already in use. Stop whatever listens on it (for example an earlier run), then start again.");
			assertThat(this.data).isEmptyDirectory();
		}
	}

	/**
	 * A start that fails once something runs (here Kafka's JVM, given an option it does
	 * not know) says why in one line and where the log is. It used to stop without a
	 * word: stopping the suite after the failure looked like a Ctrl-C.
	 */
	@Test
	void saysWhyTheStartFailedWhenKafkaDoesNotStart() throws Exception {
		Map<String, String> environment = new HashMap<>();
		for (String port : List.of("KAFKA_PORT", "KAFKA_CONTROLLER_PORT", "ORDER_SERVICE_PORT", "PAYMENT_SERVICE_PORT",
				"NOTIFICATION_SERVICE_PORT", "ORDER_SERVICE_MANAGEMENT_PORT", "PAYMENT_SERVICE_MANAGEMENT_PORT",
				"NOTIFICATION_SERVICE_MANAGEMENT_PORT")) {
			environment.put(port, String.valueOf(freePort()));
		}
		environment.put(RunJvmOptions.VARIABLE, "-XX:NoSuchOption");
		Finished run = run(environment, "--no-tail");

		assertThat(run.exitCode()).isEqualTo(2);
		Path kafkaLog = this.data.resolve("logs/kafka.log");
		assertThat(run.output().lines()).anyMatch(
				(line) -> line.startsWith("Could not start the suite: ") && line.contains("failed; see " + kafkaLog));
		assertThat(kafkaLog).content().contains("Unrecognized VM option 'NoSuchOption'");
	}

	@Test
	void printsItsUsageForHelpAndStartsNothing() throws Exception {
		Finished help = run(Map.of(), "--help");

		assertThat(help.exitCode()).isZero();
		assertThat(help.output()).startsWith("Usage: ./run");
		assertThat(this.data).isEmptyDirectory();
	}

	@Test
	void refusesAnOptionItDoesNotKnowAndStartsNothing() throws Exception {
		Finished unknown = run(Map.of(), "--nodes=3");

		assertThat(unknown.exitCode()).isEqualTo(2);
		assertThat(unknown.output()).startsWith("Unknown option --nodes=3").contains("Usage: ./run");
		assertThat(this.data).isEmptyDirectory();
	}

	/** Runs {@code ./run} with its data in this test's directory, until it exits. */
	private Finished run(Map<String, String> environment, String... options) throws Exception {
		List<String> command = new ArrayList<>(List.of(ComposeFile.HOME.resolve("run").toString()));
		command.addAll(List.of(options));
		ProcessBuilder run = new ProcessBuilder(command).directory(ComposeFile.HOME.toFile()).redirectErrorStream(true);
		run.environment().put("RUN_DATA_DIR", this.data.toString());
		run.environment().putAll(environment);
		Process process = run.start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
		return new Finished(process.exitValue(), output);
	}

	private record Finished(int exitCode, String output) {
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
