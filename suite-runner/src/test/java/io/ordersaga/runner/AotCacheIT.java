package io.ordersaga.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The start-up cache of a real service jar (notification-service's, copied so that the
 * other tests' caches stay untouched), recorded and used as the runner does.
 */
@EnabledForJreRange(min = JRE.JAVA_25)
class AotCacheIT {

	private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC");

	@TempDir
	Path dir;

	private Path jar;

	private Path log;

	@BeforeEach
	void copyTheJar() throws IOException {
		String name = "notification-service.jar";
		this.jar = Files.createDirectories(this.dir.resolve("target")).resolve(name);
		Files.copy(ComposeFile.HOME.resolve("notification-service/target").resolve(name), this.jar);
		this.log = this.dir.resolve("logs/notification-service.log");
	}

	@Test
	void recordsAWholeCacheBeforeTheFirstStartAndStartsFromIt() throws Exception {
		List<String> options = AotCache.launch(this.jar, JVM_OPTIONS, this.log);

		Path cache = this.dir.resolve("target/aot/app.aot");
		Path extracted = this.dir.resolve("target/aot").resolve(this.jar.getFileName());
		assertThat(options).containsExactly("-XX:AOTCache=" + cache, "-jar", extracted.toString());
		assertThat(aotFiles()).containsExactly(cache);
		// AOTMode=on makes a JVM refuse a cache it cannot map, such as a truncated one.
		List<String> command = new ArrayList<>(List.of(java(), "-XX:AOTMode=on"));
		command.addAll(JVM_OPTIONS);
		command.addAll(List.of("-XX:AOTCache=" + cache, "-cp", extracted.toString(), "-version"));
		assertThat(Commands.output(new ProcessBuilder(command), Duration.ofMinutes(1))).contains("sharing");

		String recorded = Files.readString(this.log);
		assertThat(AotCache.launch(this.jar, JVM_OPTIONS, this.log)).isEqualTo(options);
		assertThat(Files.readString(this.log)).isEqualTo(recorded);
	}

	/**
	 * A build next to a running instance of the service that uses the default state
	 * directory, as one started by hand does: once it reaches Kafka, its Kafka Streams
	 * holds locks there (the stores' RocksDB databases). Here it waits for Kafka, so what
	 * the test shows is that a training run uses a state directory and a port of its own
	 * and leaves the running instance alone.
	 */
	@Test
	void recordsTheCacheWhileARunningInstanceHoldsTheDefaultStateDirectory() throws Exception {
		Path temporary = Files.createDirectories(this.dir.resolve("tmp"));
		Path defaultStateDirectory = temporary.resolve("order-saga/notification-service-8083");
		List<String> running = new ArrayList<>(List.of(java(), "-Djava.io.tmpdir=" + temporary, "-jar",
				this.jar.toString(), "--server.port=0", "--spring.kafka.bootstrap-servers=localhost:1",
				"--spring.kafka.streams.state-dir=" + defaultStateDirectory));
		Process instance = new ProcessBuilder(running).redirectErrorStream(true)
			.redirectOutput(this.dir.resolve("running.log").toFile())
			.start();
		try {
			await().atMost(Duration.ofMinutes(1))
				.until(() -> Files.readString(this.dir.resolve("running.log"))
					.contains("Started NotificationServiceApplication"));
			List<String> options = new ArrayList<>(JVM_OPTIONS);
			options.add("-Djava.io.tmpdir=" + temporary);

			assertThat(AotCache.launch(this.jar, options, this.log)).first().asString().startsWith("-XX:AOTCache=");
			assertThat(aotFiles()).hasSize(1);
			assertThat(instance.isAlive()).isTrue();
		}
		finally {
			instance.destroy();
			// A service that waits for Kafka still stops on SIGTERM.
			assertThat(instance.waitFor(60, TimeUnit.SECONDS)).isTrue();
		}
	}

	@Test
	void aTrainingRunThatFailsLeavesNoCacheAndTheJarStartsAsItIs() throws Exception {
		List<String> failing = new ArrayList<>(JVM_OPTIONS);
		failing.add("-Dspring.config.import=file:" + this.dir.resolve("missing.yml"));

		assertThat(AotCache.launch(this.jar, failing, this.log)).containsExactly("-jar", this.jar.toString());
		assertThat(aotFiles()).isEmpty();
		assertThat(Files.readString(this.log)).contains("Could not record an ahead-of-time cache");
	}

	private List<Path> aotFiles() throws IOException {
		try (Stream<Path> files = Files.walk(this.dir.resolve("target"))) {
			return files.filter((file) -> file.getFileName().toString().endsWith(".aot")).toList();
		}
	}

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

}
