package io.ordersaga.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Starts a service faster on JDK 25 or newer with an ahead-of-time cache (JEP 483, 514):
 * classes already loaded and linked. The cache only holds classes from plain jars on the
 * class path, so the service's jar is first extracted (Spring Boot's
 * {@code -Djarmode=tools extract}) next to it, once per build. The cache is then recorded
 * by a training run that refreshes the application context and exits
 * ({@code spring.context.exit=onRefresh}, as the Docker image does), before the first
 * start; older JDKs start the jar as it is.
 * <p>
 * A JVM refuses to start from a truncated cache, so a cache is recorded under a name of
 * its own and only renamed into place once its training run has succeeded: a start sees a
 * whole cache or none. (Recording while the service runs, and writing the cache when it
 * stops, once left half a cache behind when that stop was cut short.)
 */
final class AotCache {

	private static final long TRAINING_MINUTES = 3;

	/**
	 * One recording per jar at a time in this JVM; different jars record side by side.
	 */
	private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();

	private static final Set<Path> FAILED = ConcurrentHashMap.newKeySet();

	private final Path jar;

	private final Path directory;

	private final Path extracted;

	private final Path cache;

	private AotCache(Path jar) {
		this.jar = jar;
		this.directory = jar.resolveSibling("aot");
		this.extracted = this.directory.resolve(jar.getFileName());
		this.cache = this.directory.resolve("app.aot");
	}

	/**
	 * Whether this JDK can start from a cache.
	 * @return {@code true} on JDK 25 and newer
	 */
	static boolean supported() {
		return Runtime.version().feature() >= 25;
	}

	/**
	 * Whether a jar's cache has to be recorded before it starts fast.
	 * @param jar the service's executable jar
	 * @return {@code true} if there is no cache for this build of the jar yet
	 */
	static boolean missing(Path jar) {
		try {
			return supported() && !new AotCache(jar).current();
		}
		catch (IOException ex) {
			return true;
		}
	}

	/**
	 * How to start a jar: from its cache where the JDK supports it, recording the cache
	 * first if this build of the jar has none. A start is never made to fail by the
	 * cache.
	 * @param jar the service's executable jar
	 * @param jvmOptions the options the service's JVM runs with, which the training run
	 * uses too
	 * @param log where the extraction and the training run write their output
	 * @return the JVM options and the jar to run, after {@code jvmOptions}
	 */
	static List<String> launch(Path jar, List<String> jvmOptions, Path log) {
		if (!supported()) {
			return List.of("-jar", jar.toString());
		}
		AotCache aot = new AotCache(jar);
		try {
			synchronized (LOCKS.computeIfAbsent(jar.toAbsolutePath(), (key) -> new Object())) {
				if (!aot.current()) {
					aot.extractAndTrain(jvmOptions, log);
				}
			}
			if (Files.exists(aot.cache)) {
				return List.of("-XX:AOTCache=" + aot.cache, "-jar", aot.extracted.toString());
			}
		}
		catch (IOException | RuntimeException ex) {
			FAILED.add(jar.toAbsolutePath());
			note(log, "Could not record an ahead-of-time cache: " + ex.getMessage());
		}
		// A faster start is not worth failing for.
		return List.of("-jar", jar.toString());
	}

	/**
	 * Whether this build of the jar has been extracted and its cache recorded, or its
	 * recording has failed in this JVM (which is not tried again before the next run).
	 */
	private boolean current() throws IOException {
		return FAILED.contains(this.jar.toAbsolutePath()) || (Files.exists(this.cache) && Files.exists(this.extracted)
				&& modified(this.extracted).compareTo(modified(this.jar)) >= 0);
	}

	private void extractAndTrain(List<String> jvmOptions, Path log) throws IOException {
		SuiteRunner.deleteRecursively(this.directory);
		Files.createDirectories(this.directory);
		run(List.of("-Djarmode=tools", "-jar", this.jar.toString(), "extract", "--destination",
				this.directory.toString()), log);
		Path recording = this.directory.resolve("app-" + UUID.randomUUID() + ".aot");
		Path trainingState = this.directory.resolve("training-state");
		try {
			List<String> training = new ArrayList<>(jvmOptions);
			training.addAll(List.of("-XX:AOTCacheOutput=" + recording, "-Dspring.context.exit=onRefresh",
					// The context starts nothing, but topic creation would still try a
					// broker. A state directory and a port of its own: a running instance
					// of the service holds the default ones, and its read model's lock
					// made the training fail. (Neither is part of what a cache must
					// match.)
					"-Dspring.kafka.bootstrap-servers=localhost:1", "-Dspring.kafka.streams.state-dir=" + trainingState,
					"-Dserver.port=0", "-Dmanagement.server.port=0", "-jar", this.extracted.toString()));
			run(training, log);
			if (!Files.exists(recording)) {
				throw new IOException("the training run wrote no cache; see " + log);
			}
			Files.move(recording, this.cache, StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			SuiteRunner.deleteRecursively(trainingState);
			Files.deleteIfExists(recording);
			// The training JVM's list of what it loaded, which it deletes itself unless
			// stopped.
			Files.deleteIfExists(recording.resolveSibling(recording.getFileName() + ".config"));
		}
	}

	private static void run(List<String> arguments, Path log) throws IOException {
		Files.createDirectories(log.getParent());
		List<String> command = new ArrayList<>(List.of(java()));
		command.addAll(arguments);
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
			.start();
		try {
			if (!process.waitFor(TRAINING_MINUTES, TimeUnit.MINUTES)) {
				ChildProcesses.kill(process);
				throw new IOException(String.join(" ", command) + " took more than " + TRAINING_MINUTES + " minutes");
			}
			if (process.exitValue() != 0) {
				throw new IOException(
						String.join(" ", command) + " failed (exit code " + process.exitValue() + "); see " + log);
			}
		}
		catch (InterruptedException ex) {
			ChildProcesses.kill(process);
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", ex);
		}
	}

	private static void note(Path log, String line) {
		try {
			Files.createDirectories(log.getParent());
			Files.writeString(log, line + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static FileTime modified(Path file) throws IOException {
		return Files.getLastModifiedTime(file);
	}

}
