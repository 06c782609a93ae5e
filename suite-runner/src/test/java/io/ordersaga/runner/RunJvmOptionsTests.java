package io.ordersaga.runner;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RunJvmOptionsTests {

	@Test
	void addsNothingUnlessTheVariableIsSet() {
		assertThat(RunJvmOptions.from(Map.of())).isEmpty();
		assertThat(RunJvmOptions.from(Map.of(RunJvmOptions.VARIABLE, "  "))).isEmpty();
	}

	@Test
	void splitsTheValueAtWhiteSpaceInItsOrder() {
		assertThat(RunJvmOptions.from(Map.of(RunJvmOptions.VARIABLE, " -XX:TieredStopAtLevel=1\t -Xlog:gc ")))
			.containsExactly("-XX:TieredStopAtLevel=1", "-Xlog:gc");
	}

}
