package io.ordersaga.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** How the soak's section goes into the benchmark report. */
class SoakReportTests {

	@TempDir
	Path directory;

	@Test
	void aNewSectionReplacesTheOldOneAndLeavesTheRestAsItWas() throws Exception {
		Path report = this.directory.resolve("benchmarks.md");
		Files.writeString(report, "# Benchmarks\n\n## Soak\n\nold figures\n\n## Reproduce\n\n./benchmark\n");

		SoakReport.splice(report, "## Soak\n\nnew figures\n");

		assertThat(Files.readString(report))
			.isEqualTo("# Benchmarks\n\n## Soak\n\nnew figures\n\n## Reproduce\n\n./benchmark\n");
	}

	@Test
	void aReportWithoutTheSectionGetsItBeforeReproduceOrAtItsEnd() throws Exception {
		Path report = this.directory.resolve("benchmarks.md");
		Files.writeString(report, "# Benchmarks\n\n## Reproduce\n\n./benchmark\n");
		SoakReport.splice(report, "## Soak\n\nfigures\n");
		assertThat(Files.readString(report))
			.isEqualTo("# Benchmarks\n\n## Soak\n\nfigures\n\n## Reproduce\n\n./benchmark\n");

		Path other = this.directory.resolve("other.md");
		Files.writeString(other, "# Other\n");
		SoakReport.splice(other, "## Soak\n\nfigures\n");
		assertThat(Files.readString(other)).isEqualTo("# Other\n## Soak\n\nfigures\n\n");
	}

	@Test
	void theSlopeOfAFlatCurveIsZeroAndOfAGrowingOneItsRate() {
		List<Soak.Sample> flat = List.of(sample(10, 300), sample(20, 310), sample(30, 300));
		List<Soak.Sample> growing = List.of(sample(10, 100), sample(20, 150), sample(30, 200));

		assertThat(SoakReport.slope(flat, (sample) -> (double) sample.rssMiB().get("order-service"))).isZero();
		assertThat(SoakReport.slope(growing, (sample) -> (double) sample.rssMiB().get("order-service"))).isCloseTo(5.0,
				within(1e-9));
	}

	private static Soak.Sample sample(double minute, long rss) {
		return new Soak.Sample(minute, Map.of("order-service", rss), Map.of("order-service", Map.of("saga", 0L)),
				Map.of("order-service", 0L), Map.of("order-service", 0L), 0);
	}

}
