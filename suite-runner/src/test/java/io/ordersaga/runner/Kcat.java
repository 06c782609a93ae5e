package io.ordersaga.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;

/**
 * Debian's {@code kcat}, a Kafka client built on librdkafka (C, no Java): what a consumer
 * in another language sees of the suite's topics.
 */
final class Kcat {

	private final String bootstrapServers;

	Kcat(String bootstrapServers) {
		this.bootstrapServers = bootstrapServers;
	}

	/**
	 * Reads every committed record of a topic, from the beginning to its current end.
	 * @param topic the topic
	 * @return the records
	 */
	List<Record> read(String topic) {
		// -J prints each record as one line of JSON, with its headers.
		String output = run("-C", "-t", topic, "-o", "beginning", "-e", "-q", "-J", "-X",
				"isolation.level=read_committed");
		List<Record> records = new ArrayList<>();
		for (String line : output.split("\n")) {
			if (!line.isBlank()) {
				JsonNode record = SuiteClient.parse(line);
				Map<String, String> headers = new LinkedHashMap<>();
				// Depending on the kcat version an object, or an array of names and
				// values.
				JsonNode printed = record.path("headers");
				if (printed.isArray()) {
					for (int i = 0; i + 1 < printed.size(); i += 2) {
						headers.put(printed.get(i).asString(), printed.get(i + 1).asString());
					}
				}
				else {
					printed.properties()
						.forEach((header) -> headers.put(header.getKey(), header.getValue().asString()));
				}
				records.add(new Record(record.path("key").asString(), headers, record.path("payload").asString()));
			}
		}
		return records;
	}

	private String run(String... arguments) {
		List<String> command = new ArrayList<>(List.of("kcat", "-b", this.bootstrapServers));
		command.addAll(Arrays.asList(arguments));
		try {
			Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
			process.getOutputStream().close();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new AssertionError(String.join(" ", command) + " failed");
			}
			return output;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(
					"Could not run kcat; install it (Debian: apt-get install kcat, macOS: brew install kcat)", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** A record as kcat read it. */
	record Record(String key, Map<String, String> headers, String value) {
	}

}
