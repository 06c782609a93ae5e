package io.ordersaga.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The class paths that the scripts start from {@code target/lib} ({@code ./run} and
 * {@code ./demo} from suite-runner's, {@code ./load}, {@code ./benchmark} and
 * {@code ./soak} from this module's) hold each library once: copies of an earlier build's
 * versions stayed there after an upgrade, and {@code java -cp 'target/lib/*'} took
 * whichever came first. Here, in the module built last, both exist on a fresh clone.
 */
class ScriptClassPathsIT {

	private static final Path HOME = Path.of("..").toAbsolutePath().normalize();

	@ParameterizedTest
	@ValueSource(strings = { "suite-runner", "load-generator" })
	void holdOneVersionOfEachLibrary(String module) throws IOException {
		Map<String, List<String>> byLibrary;
		try (Stream<Path> jars = Files.list(HOME.resolve(module + "/target/lib"))) {
			byLibrary = jars.map((jar) -> jar.getFileName().toString())
				.collect(Collectors.groupingBy((name) -> name.replaceFirst("-[0-9][^-]*(-[A-Za-z0-9_]+)*\\.jar$", ""),
						TreeMap::new, Collectors.toList()));
		}
		assertThat(byLibrary).isNotEmpty();
		assertThat(byLibrary.values()).as("libraries of " + module + " copied in more than one version")
			.allSatisfy((versions) -> assertThat(versions).hasSize(1));
	}

}
