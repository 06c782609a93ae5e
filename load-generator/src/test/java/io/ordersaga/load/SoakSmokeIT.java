package io.ordersaga.load;

import java.awt.image.BufferedImage;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak, short: a few seconds of orders against the suite started with {@code ./run},
 * sampled, charted and reported, so that the tool never rots. Its figures are not checked
 * beyond being there; a shared machine is too noisy for more.
 */
class SoakSmokeIT {

	@Test
	void runsTheSoakShortAndPutsItsSectionIntoTheReport() throws Exception {
		Path home = Path.of("..").toAbsolutePath().normalize();
		Path out = Path.of("target", "soak-smoke").toAbsolutePath();
		Soak.Settings settings = Soak.Settings.smoke(home, out);
		Files.createDirectories(out);
		Files.writeString(settings.report(), "# Benchmarks\n\n## The services\n\nbefore\n\n## Reproduce\n\nafter\n");

		Soak.Result result = Soak.run(settings, new PrintStream(System.out, true, StandardCharsets.UTF_8));

		// A cold suite can take five seconds a saga at first, and admission control then
		// refuses some orders with 503; nothing else may fail, and most must go through.
		assertThat(result.load().errors().keySet()).isSubsetOf("HTTP 503");
		assertThat(result.load().accepted() + result.load().refused()).isEqualTo(result.load().sent());
		assertThat(result.load().accepted()).isGreaterThanOrEqualTo(result.load().sent() / 2)
			.isGreaterThanOrEqualTo(100);
		assertThat(result.load().unfinished()).isZero();
		assertThat(result.samples()).hasSizeGreaterThanOrEqualTo(3).allSatisfy((sample) -> {
			assertThat(sample.rssMiB()).hasSize(3).allSatisfy((service, rss) -> assertThat(rss).isPositive());
			assertThat(sample.streamsStateBytes()).allSatisfy((service, bytes) -> assertThat(bytes).isPositive());
			assertThat(sample.storeEntries()).hasSize(3);
			assertThat(sample.kafkaLogBytes()).isPositive();
		});
		assertThat(result.samples().getLast().readModelBytes().get("order-service")).isPositive();
		// The gauges of the stores, the saga's among them.
		assertThat(result.samples().getLast().storeEntries().get("order-service")).containsKey("order-sagas")
			.allSatisfy((store, entries) -> assertThat(entries).isNotNegative());
		assertThat(result.samples().getLast().entries("order-service")).isPositive();
		BufferedImage chart = ImageIO.read(settings.results().resolve("soak.png").toFile());
		assertThat(chart).isNotNull();
		assertThat(chart.getWidth()).isEqualTo(900);
		assertThat(settings.results().resolve("soak.json")).exists();
		String report = Files.readString(settings.report());
		assertThat(report).containsSubsequence("## The services", "before", "## Soak", "(results/soak.png)",
				"| order-service |", "| notification-service |", "## Reproduce", "after");
		assertThat(Files.readString(settings.section())).startsWith("## Soak");
	}

}
