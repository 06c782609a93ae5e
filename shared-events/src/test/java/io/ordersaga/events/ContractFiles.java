package io.ordersaga.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Reads the contract's files from the test class path. */
public final class ContractFiles {

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
		Path root = directory(resource);
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

}
