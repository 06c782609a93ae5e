package io.ordersaga.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** What a benchmark run leaves in its results directory. */
class BenchmarkResultsTests {

	@TempDir
	Path results;

	@Test
	void anEarlierRunsResultsGoAndTheSoaksAndOtherFilesStay() throws Exception {
		List<String> earlier = List.of("max-64.json", "max-64.png", "open-1000.json", "open-1000.png",
				"overload-keyed-2253.json");
		List<String> kept = List.of("max-256.json", "max-256.png", "results.json", "overload.png", "soak.json",
				"soak.png", "soak-200.json", "soak-200.png", "README.txt");
		for (String name : earlier) {
			Files.writeString(this.results.resolve(name), "{}");
		}
		for (String name : kept) {
			Files.writeString(this.results.resolve(name), "{}");
		}
		Files.createDirectory(this.results.resolve("old-run.json"));

		Benchmark.removeEarlierRuns(this.results,
				Set.of("max-256.json", "max-256.png", "results.json", "overload.png"));

		try (Stream<Path> files = Files.list(this.results)) {
			assertThat(files.map((file) -> file.getFileName().toString()))
				.containsExactlyInAnyOrderElementsOf(Stream.concat(kept.stream(), Stream.of("old-run.json")).toList());
		}
	}

	@Test
	void aRunWritesTheFilesOfEachOfItsLoadRunsAndItsCharts() {
		LoadResult open = result("open-25");
		BenchmarkResult result = new BenchmarkResult("2026-12-06", null, 0, null, List.of(result("warm-up-256")),
				List.of(open), result("max-256"), result("max-256-unkeyed"), result("flood-64-unkeyed"),
				List.of(new BenchmarkResult.Overload(true, 730, List.of(result("overload-keyed-1460")))),
				result("profiled-256"), List.of(), List.of());

		assertThat(Benchmark.writtenFiles(result)).containsExactlyInAnyOrder("results.json", "latency-by-rate.png",
				"overload.png", "warm-up-256.json", "warm-up-256.png", "open-25.json", "open-25.png", "max-256.json",
				"max-256.png", "max-256-unkeyed.json", "max-256-unkeyed.png", "flood-64-unkeyed.json",
				"flood-64-unkeyed.png", "profiled-256.json", "profiled-256.png", "overload-keyed-1460.json",
				"overload-keyed-1460.png");
	}

	private static LoadResult result(String label) {
		return new LoadResult(label, "OPEN", 0, 0, 0, 0, 0, 0, 0, Map.of(), Map.of(), 0, null, null, null, -1,
				List.of());
	}

}
