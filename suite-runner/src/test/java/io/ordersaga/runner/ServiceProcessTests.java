package io.ordersaga.runner;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceProcessTests {

	@Test
	void onlyOrderServiceWhichKeepsEveryOrderOnItsHeapGetsTheLargerHeap() {
		assertThat(ServiceProcess.jvmOptions(Path.of("order-service", "target", "order-service-0.1.0-SNAPSHOT.jar")))
			.containsExactly("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC");
		assertThat(ServiceProcess.jvmOptions(Path.of("target", "payment-service-0.1.0-SNAPSHOT.jar")))
			.containsExactly("-Xms64m", "-Xmx128m", "-XX:+UseSerialGC");
		assertThat(ServiceProcess.jvmOptions(Path.of("target", "notification-service-0.1.0-SNAPSHOT.jar")))
			.containsExactly("-Xms64m", "-Xmx128m", "-XX:+UseSerialGC");
	}

}
