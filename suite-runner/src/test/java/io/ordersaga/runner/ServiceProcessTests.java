package io.ordersaga.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The JVM options every service runs with. */
class ServiceProcessTests {

	@Test
	void handsFreedNativeMemoryBackFromJdk22On() {
		assertThat(ServiceProcess.jvmOptions(25)).contains("-Xmx128m", "-XX:TrimNativeHeapInterval=5000");
		assertThat(ServiceProcess.jvmOptions(22)).contains("-XX:TrimNativeHeapInterval=5000");
		assertThat(ServiceProcess.jvmOptions(21)).contains("-Xmx128m")
			.noneMatch((option) -> option.startsWith("-XX:TrimNativeHeapInterval"));
	}

	@Test
	void areOptionsThisJdkStartsWith() {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
		command.addAll(ServiceProcess.JVM_OPTIONS);
		command.add("-version");
		assertThat(Commands.output(new ProcessBuilder(command), Duration.ofMinutes(1))).doesNotContain("Unrecognized");
	}

}
