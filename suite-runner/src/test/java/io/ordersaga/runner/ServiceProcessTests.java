package io.ordersaga.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The JVM options every service runs with. */
class ServiceProcessTests {

	@Test
	void givesOrderServiceTheLargerHeapItAllocatesFor() {
		assertThat(ServiceProcess.jvmOptions("order-service", 25)).contains("-Xms64m", "-Xmx128m");
		assertThat(ServiceProcess.jvmOptions("payment-service", 25)).contains("-Xms64m", "-Xmx96m");
		assertThat(ServiceProcess.jvmOptions("notification-service", 25)).contains("-Xms64m", "-Xmx96m");
	}

	@Test
	void handsFreedNativeMemoryBackFromJdk22On() {
		assertThat(ServiceProcess.jvmOptions("order-service", 25)).contains("-XX:TrimNativeHeapInterval=5000");
		assertThat(ServiceProcess.jvmOptions("order-service", 22)).contains("-XX:TrimNativeHeapInterval=5000");
		assertThat(ServiceProcess.jvmOptions("order-service", 21)).contains("-Xmx128m")
			.noneMatch((option) -> option.startsWith("-XX:TrimNativeHeapInterval"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "order-service", "payment-service", "notification-service" })
	void areOptionsThisJdkStartsWith(String service) {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
		command.addAll(ServiceProcess.jvmOptions(service));
		command.add("-version");
		assertThat(Commands.output(new ProcessBuilder(command), Duration.ofMinutes(1))).doesNotContain("Unrecognized");
	}

}
