package io.ordersaga.order;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the README's curl examples for order-service, in order, against a running
 * instance, and checks each response against the status line and headers the README
 * shows.
 */
@OrderServiceIntegrationTest
class ReadmeExamplesTests {

	private static final Pattern EXAMPLE = Pattern
		.compile("```bash\\n(curl [^`]*localhost:8081[^`]*)```\\n```http\\n([^`]*)```");

	@LocalServerPort
	private int port;

	@Test
	void everyOrderServiceExampleAnswersAsTheReadmeShows() throws Exception {
		List<Example> examples = examples();
		assertThat(examples).hasSizeGreaterThanOrEqualTo(7);
		for (Example example : examples) {
			String response = run(example.command().replace("localhost:8081", "localhost:" + this.port));
			List<String> lines = response.lines().toList();
			assertThat(lines).as("response to:%n%s", example.command()).isNotEmpty();
			assertThat(lines.get(0)).as("status of:%n%s", example.command()).startsWith(example.statusLine());
			for (String header : example.headers()) {
				assertThat(lines).as("headers of:%n%s", example.command()).anyMatch(header::equalsIgnoreCase);
			}
		}
	}

	private static List<Example> examples() throws IOException {
		String readme = Files.readString(Path.of("../README.md"));
		List<Example> examples = new ArrayList<>();
		Matcher matcher = EXAMPLE.matcher(readme);
		while (matcher.find()) {
			List<String> expected = matcher.group(2).lines().toList();
			List<String> headers = expected.stream()
				.skip(1)
				.takeWhile((line) -> !line.isBlank())
				.map((line) -> line.replace(": ", ":").replaceFirst(":", ": "))
				.toList();
			examples.add(new Example(matcher.group(1).strip(), expected.get(0).strip(), headers));
		}
		return examples;
	}

	private static String run(String command) throws Exception {
		Process curl = new ProcessBuilder("bash", "-c", command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
		assertThat(curl.waitFor(30, TimeUnit.SECONDS)).as("curl finished").isTrue();
		return new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replace("\r", "");
	}

	private record Example(String command, String statusLine, List<String> headers) {
	}

}
