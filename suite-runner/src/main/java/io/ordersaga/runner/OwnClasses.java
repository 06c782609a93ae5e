package io.ordersaga.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads every class of the runner's own jar when it starts. A build ({@code ./mvnw
 * package}) rewrites that jar in place, also while the suite runs, and a class first
 * needed afterwards can no longer be read from it: the shutdown hook then failed with a
 * {@link NoClassDefFoundError} and left the broker and the services running.
 */
final class OwnClasses {

	private OwnClasses() {
	}

	/**
	 * Loads, without initialising them, the classes of the jar that holds a class. Run
	 * from a directory of classes (an IDE), there is nothing to do: a compiler writes a
	 * class file anew instead of rewriting it.
	 * @param anchor a class of the jar
	 * @return the names of the classes loaded
	 */
	static List<String> load(Class<?> anchor) {
		Path location;
		try {
			location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
		if (!Files.isRegularFile(location)) {
			return List.of();
		}
		try (JarFile jar = new JarFile(location.toFile())) {
			List<String> names = jar.stream()
				.map(JarEntry::getName)
				.filter((name) -> name.endsWith(".class") && !name.endsWith("module-info.class")
						&& !name.endsWith("package-info.class"))
				.map((name) -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
				.toList();
			for (String name : names) {
				Class.forName(name, false, anchor.getClassLoader());
			}
			return names;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException("The runner's jar changed while it started; start it again", ex);
		}
	}

}
