package io.ordersaga.runner;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.InstanceOfAssertFactories.list;

/**
 * The runner's own classes survive a build that rewrites its jar in place, as
 * {@code ./mvnw package} does while the suite runs.
 */
class OwnClassesTests {

	private static final Path CLASSES = classesDirectory();

	@TempDir
	Path temp;

	@Test
	void aClassFirstNeededAfterItsJarIsRewrittenCannotBeLoaded() throws Exception {
		Path jar = jarOfTheRunnersClasses();
		try (URLClassLoader runner = runnerLoadedFrom(jar)) {
			runner.loadClass(SuiteRunner.class.getName());
			rewriteInPlace(jar);
			assertThatExceptionOfType(ClassNotFoundException.class)
				.isThrownBy(() -> runner.loadClass(ChildProcesses.class.getName()));
		}
	}

	@Test
	void loadsEveryClassOfItsJarSoThatRewritingTheJarLosesNone() throws Exception {
		Path jar = jarOfTheRunnersClasses();
		try (URLClassLoader runner = runnerLoadedFrom(jar)) {
			Class<?> suiteRunner = runner.loadClass(SuiteRunner.class.getName());
			var load = runner.loadClass(OwnClasses.class.getName()).getDeclaredMethod("load", Class.class);
			load.setAccessible(true);
			Object loaded = load.invoke(null, suiteRunner);
			rewriteInPlace(jar);

			assertThat(loaded).asInstanceOf(list(String.class))
				.contains(ChildProcesses.class.getName(), SuiteRunner.class.getName() + "$Settings");
			assertThat(runner.loadClass(ChildProcesses.class.getName()).getClassLoader()).isSameAs(runner);
		}
	}

	@Test
	void hasNothingToLoadFromADirectoryOfClasses() {
		assertThat(OwnClasses.load(OwnClasses.class)).isEmpty();
	}

	private Path jarOfTheRunnersClasses() throws IOException {
		Path jar = this.temp.resolve("suite-runner.jar");
		try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
				Stream<Path> files = Files.walk(CLASSES)) {
			for (Path file : files.filter(Files::isRegularFile).toList()) {
				out.putNextEntry(new JarEntry(CLASSES.relativize(file).toString().replace(File.separatorChar, '/')));
				Files.copy(file, out);
				out.closeEntry();
			}
		}
		return jar;
	}

	/** As the jar plugin does: the same file, truncated and written anew. */
	private static void rewriteInPlace(Path jar) throws IOException {
		try (OutputStream out = Files.newOutputStream(jar); JarOutputStream rewritten = new JarOutputStream(out)) {
			rewritten.putNextEntry(new JarEntry("META-INF/rebuilt"));
			rewritten.write(new byte[4096]);
			rewritten.closeEntry();
		}
	}

	/** The runner from a jar, with its dependencies from the test's class path. */
	private static URLClassLoader runnerLoadedFrom(Path jar) throws IOException {
		List<URL> urls = new ArrayList<>(List.of(jar.toUri().toURL()));
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			Path path = Path.of(entry).toAbsolutePath();
			if (!path.equals(CLASSES)) {
				urls.add(path.toUri().toURL());
			}
		}
		return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
	}

	private static Path classesDirectory() {
		try {
			return Path.of(SuiteRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI())
				.toAbsolutePath();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
