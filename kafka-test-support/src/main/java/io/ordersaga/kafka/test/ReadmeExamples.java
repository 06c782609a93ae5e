package io.ordersaga.kafka.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The README's curl examples for one service: each {@code bash} block that calls the
 * service, paired with the {@code http} block after it that shows the expected status
 * line, headers and, where it shows one, the JSON body (see {@link ReadmeJson}). Tests
 * run them against a running instance, so the README cannot drift from the API.
 */
public final class ReadmeExamples {

	private ReadmeExamples() {
	}

	/**
	 * The examples that call a host and port, such as {@code localhost:8081}.
	 * @param readme the README file
	 * @param hostAndPort the address the examples use
	 * @return the examples, in README order
	 */
	public static List<Example> calling(Path readme, String hostAndPort) {
		Pattern block = Pattern
			.compile("```bash\\n(curl [^`]*" + Pattern.quote(hostAndPort) + "[^`]*)```\\n```http\\n([^`]*)```");
		String text;
		try {
			text = Files.readString(readme);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		List<Example> examples = new ArrayList<>();
		Matcher matcher = block.matcher(text);
		while (matcher.find()) {
			List<String> expected = matcher.group(2).lines().toList();
			List<String> headers = expected.stream().skip(1).takeWhile((line) -> !line.isBlank()).toList();
			String body = String.join("\n",
					expected.subList(Math.min(headers.size() + 2, expected.size()), expected.size()));
			examples.add(new Example(matcher.group(1).strip(), expected.get(0).strip(), headers,
					ReadmeJson.isJson(body) ? body : null));
		}
		return examples;
	}

	/**
	 * One example.
	 *
	 * @param command the curl command, as the README shows it
	 * @param statusLine the status line the response starts with, such as
	 * {@code HTTP/1.1 202}
	 * @param headers the headers the response has, as {@code Name: value}
	 * @param body the JSON body the README shows, with {@code ...} for what it leaves
	 * out, or {@code null} if it shows none
	 */
	public record Example(String command, String statusLine, List<String> headers, @Nullable String body) {

		/**
		 * Runs the command and compares the response with the README.
		 * @param from the address in the README
		 * @param to the address of the instance under test
		 * @return what differs from the README, empty if nothing
		 */
		public List<String> mismatches(String from, String to) {
			String answer = run(from, to);
			List<String> response = answer.lines().toList();
			List<String> mismatches = new ArrayList<>();
			if (response.isEmpty() || !response.get(0).startsWith(this.statusLine)) {
				mismatches.add("expected '" + this.statusLine + "' but got '"
						+ (response.isEmpty() ? "no response" : response.get(0)) + "' for: " + this.command);
			}
			for (String header : this.headers) {
				if (response.stream().noneMatch(header::equalsIgnoreCase)) {
					mismatches.add("missing header '" + header + "' for: " + this.command);
				}
			}
			if (this.body != null) {
				int start = answer.indexOf("\n\n");
				String body = (start < 0) ? "" : answer.substring(start + 2);
				ReadmeJson.mismatches(this.body, body)
					.forEach((mismatch) -> mismatches.add("body " + mismatch + " for: " + this.command));
			}
			return mismatches;
		}

		/**
		 * Runs the command with bash, its address replaced.
		 * @param from the address in the README
		 * @param to the address of the instance under test
		 * @return the response curl printed (status line, headers, body)
		 */
		public String run(String from, String to) {
			try {
				Process curl = new ProcessBuilder("bash", "-c", this.command.replace(from, to))
					.redirectError(ProcessBuilder.Redirect.DISCARD)
					.start();
				if (!curl.waitFor(30, TimeUnit.SECONDS)) {
					curl.destroyForcibly();
					throw new IllegalStateException("Timed out: " + this.command);
				}
				return new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replace("\r", "");
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

	}

}
