package io.ordersaga.support;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/** Actuator's port, when none is set: the service's plus 1,000. */
class ManagementPortDefaultTests {

	@Test
	void isTheServicesPortPlusAThousand() {
		assertThat(managementPort(Map.of("server.port", "8092"))).isEqualTo("9092");
	}

	@Test
	void isFreeWhenTheServicesPortIsAndWhenTheSumIsNoPort() {
		assertThat(managementPort(Map.of("server.port", "0"))).isEqualTo("0");
		assertThat(managementPort(Map.of("server.port", "65000"))).isEqualTo("0");
	}

	@Test
	void leavesAPortThatIsSetAndAnApplicationWithoutAPortAlone() {
		assertThat(managementPort(Map.of("server.port", "8081", "management.server.port", "7001"))).isEqualTo("7001");
		assertThat(managementPort(Map.of())).isNull();
	}

	private static String managementPort(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		new ManagementPortDefault().postProcessEnvironment(environment, new SpringApplication());
		return environment.getProperty("management.server.port");
	}

}
