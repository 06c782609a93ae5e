package io.ordersaga.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a service faster on JDK 25 or newer with an ahead-of-time cache (JEP 483, 514):
 * classes already loaded and linked, recorded by an earlier run. The cache only holds
 * classes from plain jars on the class path, so the service's jar is first extracted
 * (Spring Boot's {@code -Djarmode=tools extract}) next to it, once per build. The first
 * run records the cache when it stops; every later start uses it. Older JDKs start the
 * jar as it is.
 */
final class AotCache {

	private final Path jar;

	private final Path directory;

	private AotCache(Path jar) {
		this.jar = jar;
		this.directory = jar.resolveSibling("aot");
	}

	/**
	 * How to start a jar: with the cache where the JDK supports it.
	 * @param jar the service's executable jar
	 * @param log where the extraction reports a failure
	 * @return the JVM options and the jar to run
	 */
	static List<String> launch(Path jar, Path log) {
		if (Runtime.version().feature() < 25) {
			return List.of("-jar", jar.toString());
		}
		return new AotCache(jar).prepare(log);
	}

	private List<String> prepare(Path log) {
		Path extracted = this.directory.resolve(this.jar.getFileName());
		Path cache = this.directory.resolve("app.aot");
		try {
			if (!Files.exists(extracted) || modified(extracted).compareTo(modified(this.jar)) < 0) {
				SuiteRunner.deleteRecursively(this.directory);
				extract(log);
			}
			List<String> options = new ArrayList<>();
			if (Files.exists(cache) && modified(cache).compareTo(modified(extracted)) >= 0) {
				options.add("-XX:AOTCache=" + cache);
			}
			else {
				// Records what this run loads and writes the cache when it stops.
				options.add("-XX:AOTCacheOutput=" + cache);
			}
			options.addAll(List.of("-jar", extracted.toString()));
			return options;
		}
		catch (IOException | RuntimeException ex) {
			// A faster start is not worth failing for.
			return List.of("-jar", this.jar.toString());
		}
	}

	private void extract(Path log) throws IOException {
		Files.createDirectories(this.directory);
		Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Djarmode=tools", "-jar", this.jar.toString(), "extract", "--destination", this.directory.toString())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
		try {
			if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
				throw new UncheckedIOException(new IOException("Could not extract " + this.jar + "; see " + log));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static FileTime modified(Path file) throws IOException {
		return Files.getLastModifiedTime(file);
	}

}
