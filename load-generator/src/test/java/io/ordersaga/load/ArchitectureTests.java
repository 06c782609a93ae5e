package io.ordersaga.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The structure of the code, checked on every module's compiled main classes: package
 * dependencies run one way, no service uses another, the contract has no Spring in it,
 * and within a service the feature packages meet only in its core.
 *
 * <p>
 * ArchUnit reads bytecode, where javac has copied every {@code static final String} it
 * used into the user: a dependency through a topic-name constant alone is invisible to
 * it. {@link #noPackageImportsFormACycle()} therefore also reads the sources' imports.
 *
 * <p>
 * It lives in the module the build makes last, so that every other module's classes are
 * there when it runs, on a fresh clone too.
 */
class ArchitectureTests {

	/** The repository: tests run in their module's directory. */
	private static final Path HOME = Path.of("..").toAbsolutePath().normalize();

	private static final List<String> MODULES = List.of("shared-events", "service-support", "order-service",
			"payment-service", "notification-service", "auth-service", "kafka-test-support", "suite-runner",
			"load-generator");

	private static JavaClasses classes;

	@BeforeAll
	static void importMainClasses() {
		List<Path> outputs = MODULES.stream().map((module) -> HOME.resolve(module + "/target/classes")).toList();
		assertThat(outputs).as("compiled main classes; build the modules first (./mvnw verify does)")
			.allMatch(Files::isDirectory);
		classes = new ClassFileImporter().importPaths(outputs);
		assertThat(classes).hasSizeGreaterThan(150);
	}

	@Test
	void packagesAreFreeOfCycles() {
		check(slices().matching("io.ordersaga.(**)").should().beFreeOfCycles());
	}

	@Test
	void noServiceUsesAnother() {
		noneUsesAnother("io.ordersaga.", List.of("order", "payment", "notification", "auth"));
	}

	@Test
	void theContractHasNoSpringInIt() {
		check(noClasses().that()
			.resideInAPackage("io.ordersaga.events..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.springframework.."));
	}

	@Test
	void orderServiceFeaturesMeetOnlyInItsCore() {
		check(noClasses().that()
			.resideInAPackage("io.ordersaga.order.core..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.ordersaga.order", "io.ordersaga.order.saga..", "io.ordersaga.order.view.."));
		check(noClasses().that()
			.resideInAPackage("io.ordersaga.order.saga..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.ordersaga.order", "io.ordersaga.order.view.."));
		check(noClasses().that()
			.resideInAPackage("io.ordersaga.order.view..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.ordersaga.order", "io.ordersaga.order.saga.."));
	}

	@Test
	void paymentAccountsKnowNothingOfCharging() {
		check(noClasses().that()
			.resideInAPackage("io.ordersaga.payment.account..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.ordersaga.payment", "io.ordersaga.payment.charging.."));
		check(noClasses().that()
			.resideInAPackage("io.ordersaga.payment.charging..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.ordersaga.payment"));
	}

	@Test
	void notificationFeaturesMeetOnlyInTheServicesRootPackage() {
		noneUsesAnother("io.ordersaga.notification.", List.of("feed", "recording", "webhook"));
		check(noClasses().that()
			.resideInAPackage("io.ordersaga.notification")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.ordersaga.notification.*.."));
	}

	@Test
	void serviceSupportsPartsDoNotLeanOnItsAutoConfiguration() {
		check(noClasses().that()
			.resideInAnyPackage("io.ordersaga.support.streams..", "io.ordersaga.support.web..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("io.ordersaga.support"));
	}

	/**
	 * No two main packages import each other's classes, directly or through others,
	 * including through constants that the bytecode no longer names.
	 */
	@Test
	void noPackageImportsFormACycle() {
		Map<String, Set<String>> imports = new TreeMap<>();
		Pattern packageLine = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
		Pattern importLine = Pattern.compile("^import (io\\.ordersaga\\.[\\w.]+)\\.[A-Z]\\w*;", Pattern.MULTILINE);
		for (String module : MODULES) {
			for (Path source : sources(HOME.resolve(module + "/src/main/java"))) {
				String text = read(source);
				Matcher declared = packageLine.matcher(text);
				assertThat(declared.find()).as("package of " + source).isTrue();
				Set<String> used = imports.computeIfAbsent(declared.group(1), (name) -> new TreeSet<>());
				for (Matcher imported = importLine.matcher(text); imported.find();) {
					if (!imported.group(1).equals(declared.group(1))) {
						used.add(imported.group(1));
					}
				}
			}
		}
		assertThat(imports).containsKeys("io.ordersaga.order.saga", "io.ordersaga.payment.charging");
		assertThat(cycles(imports)).as("packages whose imports form a cycle").isEmpty();
	}

	/** No package of a set, below a common prefix, uses another of the set. */
	private static void noneUsesAnother(String prefix, List<String> packages) {
		for (String user : packages) {
			String[] others = packages.stream()
				.filter((other) -> !other.equals(user))
				.map((other) -> prefix + other + "..")
				.toArray(String[]::new);
			check(noClasses().that()
				.resideInAPackage(prefix + user + "..")
				.should()
				.dependOnClassesThat()
				.resideInAnyPackage(others));
		}
	}

	private static List<List<String>> cycles(Map<String, Set<String>> imports) {
		List<List<String>> found = new ArrayList<>();
		Set<String> done = new HashSet<>();
		for (String start : imports.keySet()) {
			walk(start, new LinkedHashSet<>(), imports, done, found);
		}
		return found;
	}

	private static void walk(String from, LinkedHashSet<String> path, Map<String, Set<String>> imports,
			Set<String> done, List<List<String>> found) {
		if (path.contains(from)) {
			List<String> cycle = new ArrayList<>(path);
			cycle = new ArrayList<>(cycle.subList(cycle.indexOf(from), cycle.size()));
			cycle.add(from);
			found.add(cycle);
			return;
		}
		if (!done.add(from)) {
			return;
		}
		path.add(from);
		for (String to : imports.getOrDefault(from, Set.of())) {
			walk(to, path, imports, done, found);
		}
		path.remove(from);
	}

	private static List<Path> sources(Path root) {
		try (Stream<Path> files = Files.walk(root)) {
			return files.filter((file) -> file.toString().endsWith(".java")).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void check(ArchRule rule) {
		rule.check(classes);
	}

}
