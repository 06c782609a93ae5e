package io.ordersaga.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads the contract's files from the test class path and the module's sources. */
public final class ContractFiles {

	/** The golden samples, as a class path resource directory. */
	public static final String SAMPLES = "contract/samples";

	/**
	 * The published JSON Schemas, read from the sources rather than the class path so
	 * that a schema written by {@code -Dcontract.update-schemas=true} is seen in the same
	 * run.
	 */
	public static final Path SCHEMAS = Path.of("src/main/resources/schemas");

	/** The SHA-256 digests of the released samples, by path below {@link #SAMPLES}. */
	public static final String RELEASED_SAMPLES = "contract/released-samples.sha256";

	/** The SHA-256 digests of the released schemas, by file name in {@link #SCHEMAS}. */
	public static final String RELEASED_SCHEMAS = "contract/released-schemas.sha256";

	private ContractFiles() {
	}

	public static Path directory(String resource) {
		try {
			return Path.of(ContractFiles.class.getResource("/" + resource).toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Every {@code *.json} file below a resource directory, as paths relative to it. */
	public static List<String> jsonFiles(String resource) {
		return jsonFiles(directory(resource));
	}

	/** Every {@code *.json} file below a directory, as paths relative to it. */
	public static List<String> jsonFiles(Path root) {
		try (Stream<Path> files = Files.walk(root)) {
			return files.filter((file) -> file.toString().endsWith(".json"))
				.map((file) -> root.relativize(file).toString().replace('\\', '/'))
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static byte[] read(String resource) {
		try (InputStream in = ContractFiles.class.getResourceAsStream("/" + resource)) {
			if (in == null) {
				throw new IllegalStateException("No resource " + resource);
			}
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static byte[] read(Path file) {
		try {
			return Files.readAllBytes(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The path of a golden sample below {@link #SAMPLES}. */
	public static String samplePath(EventType type, int version) {
		return type.token() + "/v" + version + ".json";
	}

	/** The file of a published JSON Schema. */
	public static Path schemaFile(EventType type, int version) {
		return SCHEMAS.resolve(schemaFileName(type, version));
	}

	public static String schemaFileName(EventType type, int version) {
		return type.token() + ".v" + version + ".schema.json";
	}

	/**
	 * Checks files against a lock file that records the SHA-256 of each released one, in
	 * the {@code <sha-256>  <path>} lines that {@code sha256sum} writes: no released file
	 * may change or disappear, and every file must be recorded once it is released.
	 * @param what what the files are, for the failure messages
	 * @param root the directory of the files
	 * @param files the files, relative to {@code root}
	 * @param lockFile the lock file's resource
	 * @param instead what to do instead of editing a released file
	 */
	public static void assertMatchesLock(String what, Path root, List<String> files, String lockFile, String instead) {
		Map<String, String> locked = lockedDigests(lockFile);
		Map<String, String> actual = new LinkedHashMap<>();
		files.forEach((file) -> actual.put(file, sha256(read(root.resolve(file)))));
		List<String> changed = locked.keySet()
			.stream()
			.filter((file) -> !locked.get(file).equals(actual.get(file)))
			.toList();
		assertThat(changed)
			.as("Released %s are immutable, but these changed or disappeared: restore them and %s", what, instead)
			.isEmpty();
		List<String> unrecorded = actual.entrySet()
			.stream()
			.filter((entry) -> !locked.containsKey(entry.getKey()))
			.map((entry) -> entry.getValue() + "  " + entry.getKey())
			.toList();
		assertThat(unrecorded)
			.as("New %s that %s does not record yet; when they are released, add these lines to it", what, lockFile)
			.isEmpty();
	}

	/**
	 * The released files of a lock file.
	 * @param lockFile the lock file's resource
	 * @return digest by path, in the file's order
	 */
	public static Map<String, String> lockedDigests(String lockFile) {
		Map<String, String> locked = new LinkedHashMap<>();
		new String(read(lockFile), StandardCharsets.UTF_8).lines().filter((line) -> !line.isBlank()).forEach((line) -> {
			String[] parts = line.trim().split("\\s+", 2);
			locked.put(parts[1], parts[0]);
		});
		return locked;
	}

	private static String sha256(byte[] content) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
