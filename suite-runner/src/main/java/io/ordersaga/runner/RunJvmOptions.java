package io.ordersaga.runner;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Options that {@code RUN_JVM_OPTIONS} adds to every JVM {@code ./run} starts (the Kafka
 * nodes, the services and their ahead-of-time cache's training runs), after the suite's
 * own. Empty by default. The integration tests set {@code -XX:TieredStopAtLevel=1}: a
 * suite that lives for a few minutes spends much of its CPU in the C2 compiler, which
 * only pays off in a long run (docs/architecture.md).
 */
final class RunJvmOptions {

	/** The environment variable. */
	static final String VARIABLE = "RUN_JVM_OPTIONS";

	private RunJvmOptions() {
	}

	/**
	 * The options that the environment of {@code ./run} asks for.
	 * @return the options, in their order; none if the variable is not set
	 */
	static List<String> current() {
		return from(System.getenv());
	}

	/**
	 * The options that an environment asks for: the variable's value split at white space
	 * (an option with a space in it cannot be given this way).
	 * @param environment the environment variables
	 * @return the options, in their order; none if the variable is not set or blank
	 */
	static List<String> from(Map<String, String> environment) {
		String value = environment.getOrDefault(VARIABLE, "").strip();
		return value.isEmpty() ? List.of() : Arrays.asList(value.split("\\s+"));
	}

}
