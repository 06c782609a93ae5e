package io.ordersaga.runner;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * What the runner checks before it starts anything, and how it reads its settings. The
 * suite it starts is tested end to end by {@link EndToEndIT}.
 */
class SuiteRunnerTests {

	@TempDir
	Path data;

	@Test
	void namesThePortThatIsAlreadyInUse() throws Exception {
		try (ServerSocket taken = new ServerSocket(0)) {
			SuiteRunner.Settings settings = new SuiteRunner.Settings(Path.of(".."), this.data, false,
					taken.getLocalPort(), freePort(), freePort(), freePort(), freePort());
			assertThatExceptionOfType(SuiteRunner.PortInUseException.class)
				.isThrownBy(() -> SuiteRunner.start(settings, new PrintStream(OutputStream.nullOutputStream())))
				.withMessageContaining("Port " + taken.getLocalPort() + " (for Kafka) is already in use");
		}
	}

	@Test
	void tellsTheServicesOnAClusterToCommitLessOftenUnlessToldOtherwise() {
		assertThat(SuiteRunner.clusterEnvironment(3, Map.of())).containsExactly(Map.entry("COMMIT_INTERVAL_MS", "100"));
		assertThat(SuiteRunner.clusterEnvironment(1, Map.of())).isEmpty();
		assertThat(SuiteRunner.clusterEnvironment(3, Map.of("COMMIT_INTERVAL_MS", "25"))).isEmpty();
	}

	@Test
	void takesItsPortsAndDataDirectoryFromTheEnvironment() {
		SuiteRunner.Settings settings = SuiteRunner.Settings.fromEnvironment(this.data, false,
				Map.of("KAFKA_PORT", "19092", "ORDER_SERVICE_PORT", " 18081 ", "RUN_DATA_DIR", "/tmp/elsewhere"));
		assertThat(settings.kafkaPort()).isEqualTo(19092);
		assertThat(settings.orderPort()).isEqualTo(18081);
		assertThat(settings.paymentPort()).isEqualTo(8082);
		assertThat(settings.dataDir()).isEqualTo(Path.of("/tmp/elsewhere"));
		assertThat(SuiteRunner.Settings.defaults(this.data, false).dataDir()).isEqualTo(this.data.resolve(".run-data"));
	}

	@Test
	void registersTheContractOnlyInARegistryItIsGiven() throws IOException {
		assertThat(SuiteRunner.Settings.defaults(this.data, false).schemaRegistry()).isNull();
		ByteArrayOutputStream said = new ByteArrayOutputStream();
		SuiteRunner.registerSchemas(null, new PrintStream(said, true, StandardCharsets.UTF_8));
		assertThat(said.toString(StandardCharsets.UTF_8)).startsWith("No schema registry: set SCHEMA_REGISTRY_URL");

		URI nowhere = URI.create("http://127.0.0.1:" + freePort() + "/apis/ccompat/v7");
		SuiteRunner.Settings settings = SuiteRunner.Settings.fromEnvironment(this.data, false,
				Map.of("SCHEMA_REGISTRY_URL", " " + nowhere + " "));
		assertThat(settings.schemaRegistry()).isEqualTo(nowhere);
		// A registry that is named but cannot be reached stops the start, saying which.
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> SuiteRunner.registerSchemas(settings.schemaRegistry(),
					new PrintStream(OutputStream.nullOutputStream())))
			.withMessageStartingWith("Cannot reach the schema registry at " + nowhere);
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> SuiteRunner.Settings.fromEnvironment(this.data, false,
					Map.of("SCHEMA_REGISTRY_URL", "localhost:8085")))
			.withMessageContaining("SCHEMA_REGISTRY_URL must be a registry's Confluent-compatible API");
	}

	@Test
	void namesAPortSettingThatIsNotANumber() {
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> SuiteRunner.Settings.fromEnvironment(this.data, false, Map.of("KAFKA_PORT", "kafka")))
			.withMessage("KAFKA_PORT must be a port number, not 'kafka'");
	}

	@Test
	void startsPrometheusOnlyWhenAskedAndNotInSecureMode() {
		assertThat(SuiteRunner.Options.parse().prometheus()).isFalse();
		assertThat(SuiteRunner.Options.parse("--prometheus", "--instances", "2"))
			.isEqualTo(new SuiteRunner.Options(false, true, false, 1, 2, false, true));
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> SuiteRunner.Options.parse("--secure", "--prometheus"))
			.withMessageStartingWith("--prometheus does not go with --secure yet");
		assertThat(SuiteRunner.Settings.fromEnvironment(this.data, false, Map.of("PROMETHEUS_PORT", "19090"))
			.prometheusPort()).isEqualTo(19090);
		assertThat(SuiteRunner.Settings.defaults(this.data, false).prometheusPort()).isEqualTo(9090);
	}

	@Test
	void readsItsOptionsAndRefusesOnesItDoesNotKnow() {
		assertThat(SuiteRunner.Options.parse()).isEqualTo(new SuiteRunner.Options(false, true, false));
		assertThat(SuiteRunner.Options.parse("--clean", "--no-tail"))
			.isEqualTo(new SuiteRunner.Options(true, false, false));
		assertThat(SuiteRunner.Options.parse("--help").help()).isTrue();
		assertThat(SuiteRunner.Options.parse("-h").help()).isTrue();
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> SuiteRunner.Options.parse("--cleen"))
			.withMessage("Unknown option --cleen");
		assertThat(SuiteRunner.Options.USAGE).contains("--clean", "--no-tail", "--build", "--brokers N");
	}

	@Test
	void startsAsManyKafkaNodesAsAskedWithinReason() {
		assertThat(SuiteRunner.Options.parse().brokers()).isOne();
		assertThat(SuiteRunner.Options.parse("--brokers", "3", "--clean"))
			.isEqualTo(new SuiteRunner.Options(true, true, false, 3));
		assertThat(SuiteRunner.Options.parse("--brokers=3").brokers()).isEqualTo(3);
		for (String wrong : List.of("0", "10", "three", "")) {
			assertThatExceptionOfType(IllegalArgumentException.class)
				.isThrownBy(() -> SuiteRunner.Options.parse("--brokers", wrong))
				.withMessage("--brokers takes a number of Kafka nodes from 1 to 9, not '" + wrong + "'");
		}
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> SuiteRunner.Options.parse("--brokers"))
			.withMessage("--brokers needs a number of Kafka nodes");
	}

	@Test
	void startsSeveralInstancesOfEachServiceOnPortsOfTheirOwn() {
		SuiteRunner.Options options = SuiteRunner.Options.parse("--instances", "2", "--brokers=3");
		assertThat(options).isEqualTo(new SuiteRunner.Options(false, true, false, 3, 2, false));
		assertThat(SuiteRunner.Options.parse("--instances=4").instances()).isEqualTo(4);
		assertThat(SuiteRunner.Options.parse().instances()).isOne();
		for (String wrong : List.of("0", "5", "two", "")) {
			assertThatExceptionOfType(IllegalArgumentException.class)
				.isThrownBy(() -> SuiteRunner.Options.parse("--instances", wrong))
				.withMessage(
						"--instances takes a number of instances of each service from 1 to 4, not '" + wrong + "'");
		}
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> SuiteRunner.Options.parse("--instances"))
			.withMessage("--instances needs a number of instances of each service");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> SuiteRunner.Options.parse("--clean=yes"))
			.withMessage("Unknown option --clean=yes");

		assertThat(SuiteRunner.instances(2)).extracting(ServiceInstance::name)
			.containsExactly("payment-service", "payment-service-2", "order-service", "order-service-2",
					"notification-service", "notification-service-2");
		SuiteRunner.Settings settings = SuiteRunner.Settings.defaults(this.data, false);
		ServiceInstance second = new ServiceInstance("payment-service", 2);
		assertThat(settings.port(second)).isEqualTo(8182);
		// Clear of Kafka's 9092 and up, which a step of 10 would have given it.
		assertThat(settings.managementPort(second)).isEqualTo(9182);
		assertThat(settings.port(ServiceInstance.first("order-service"))).isEqualTo(8081);
	}

	@Test
	void runsKafkaInSecureModeWhenAsked() {
		assertThat(SuiteRunner.Options.parse().secure()).isFalse();
		assertThat(SuiteRunner.Options.parse("--secure", "--brokers", "3"))
			.isEqualTo(new SuiteRunner.Options(false, true, false, 3, 1, true));
		assertThat(SuiteRunner.Options.USAGE).contains("--secure");
		assertThat(SuiteRunner.Settings.defaults(this.data, false).secrets())
			.isEqualTo(this.data.resolve(".run-data").resolve("secrets"));
	}

	@Test
	void startsTheIssuerFirstInSecureModeOnItsOwnPorts() {
		assertThat(SuiteRunner.instances(1, true)).extracting(ServiceInstance::name)
			.containsExactly("auth-service", "payment-service", "order-service", "notification-service");
		assertThat(SuiteRunner.instances(1, false)).extracting(ServiceInstance::name).doesNotContain("auth-service");
		SuiteRunner.Settings defaults = SuiteRunner.Settings.defaults(this.data, false);
		assertThat(defaults.port(ServiceInstance.first("auth-service"))).isEqualTo(8084);
		assertThat(defaults.managementPort(ServiceInstance.first("auth-service"))).isEqualTo(9084);
		SuiteRunner.Settings moved = SuiteRunner.Settings.fromEnvironment(this.data, false, Map.of("AUTH_SERVICE_PORT",
				"18084", "AUTH_SERVICE_MANAGEMENT_PORT", "18085", "ORDER_SERVICE_PORT", "18084"));
		assertThat(moved.managementPort(ServiceInstance.first("auth-service"))).isEqualTo(18085);
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> SuiteRunner.checkPortsAreFree(moved, 1, 1, true))
			.withMessageContaining("Port 18084 would be used by both auth-service and order-service");
		// The open mode starts no issuer, so its port is nobody's.
		assertThatNoException().isThrownBy(() -> SuiteRunner.checkPortsAreFree(moved, 1, 1, false));
	}

	@Test
	void refusesPortsThatTwoInstancesWouldShare() {
		SuiteRunner.Settings settings = SuiteRunner.Settings.fromEnvironment(this.data, false,
				Map.of("ORDER_SERVICE_PORT", "18000", "PAYMENT_SERVICE_PORT", "18100"));
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> SuiteRunner.checkPortsAreFree(settings, 1, 2))
			.withMessage("Port 18100 would be used by both payment-service and order-service-2; "
					+ "set the ports apart (see the README).");
	}

	@Test
	void refusesReplicationNoWriteCouldMeetBeforeStartingAnything() {
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> SuiteRunner.Settings.fromEnvironment(this.data, false,
					Map.of("REPLICATION_FACTOR", "1", "MIN_INSYNC_REPLICAS", "2")))
			.withMessageContaining("no write could ever succeed");
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
