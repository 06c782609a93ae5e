package io.ordersaga.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The repository's {@code docker-compose.yml} (with {@code docker-compose.monitoring.yml}
 * if asked) and the files it mounts, read as Docker Compose reads them: YAML merge keys
 * resolved, later files merged into earlier ones, and {@code ${NAME:-default}} replaced
 * by the value in {@code .env} or its default, as on a machine where {@code .env} is
 * unchanged.
 */
final class ComposeFile {

	static final Path HOME = Path.of("..").toAbsolutePath().normalize();

	private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_]+)(?::?-([^}]*))?}");

	/** A variable, or {@code $$}: a dollar sign that compose passes on as it is. */
	private static final Pattern INTERPOLATED = Pattern.compile("\\$\\$|" + VARIABLE.pattern());

	static final String MAIN = "docker-compose.yml";

	static final String MONITORING = "docker-compose.monitoring.yml";

	static final String CLUSTER = "docker-compose.cluster.yml";

	static final String SECURE = "docker-compose.secure.yml";

	/** The lists compose adds a later file's items to, rather than replace. */
	private static final Set<String> MERGED_LISTS = Set.of("volumes", "ports");

	private final List<String> files;

	private final Map<String, Object> compose;

	private final Map<String, String> dotEnv;

	private ComposeFile(List<String> files, Map<String, Object> compose, Map<String, String> dotEnv) {
		this.files = files;
		this.compose = compose;
		this.dotEnv = dotEnv;
	}

	static ComposeFile read() {
		return read(MAIN);
	}

	/**
	 * Compose files as {@code docker compose -f one -f other} combines them: mappings
	 * (such as a service's environment) merged, other values replaced by the later
	 * file's.
	 * @param files the files, in the order given to compose
	 * @return the combined files
	 */
	static ComposeFile read(String... files) {
		Map<String, Object> combined = new LinkedHashMap<>();
		for (String file : files) {
			merge(combined, yaml(HOME.resolve(file)));
		}
		return new ComposeFile(List.of(files), combined, dotEnv(HOME.resolve(".env")));
	}

	/** Reads a YAML file into maps and lists. */
	static Map<String, Object> yaml(Path file) {
		LoaderOptions options = new LoaderOptions();
		options.setAllowDuplicateKeys(false);
		try {
			return new Yaml(options).load(Files.readString(file));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	Map<String, Object> services() {
		return map(this.compose.get("services"));
	}

	Map<String, Object> service(String name) {
		return map(services().get(name));
	}

	/**
	 * A service's environment, each value with its variables replaced by their defaults.
	 */
	Map<String, String> environment(String service) {
		Map<String, String> environment = new LinkedHashMap<>();
		map(service(service).getOrDefault("environment", Map.of()))
			.forEach((name, value) -> environment.put(name, interpolate(String.valueOf(value))));
		return environment;
	}

	/** The {@code host:container} port mappings of a service, interpolated. */
	List<String> ports(String service) {
		List<String> ports = new ArrayList<>();
		for (Object port : (List<?>) service(service).getOrDefault("ports", List.of())) {
			ports.add(interpolate(String.valueOf(port)));
		}
		return ports;
	}

	Map<String, String> dotEnv() {
		return this.dotEnv;
	}

	/**
	 * The default of a variable as the compose file writes it, {@code ${NAME:-default}}.
	 * @param name the variable
	 * @return every default the file gives it
	 */
	List<String> defaultsOf(String name) {
		List<String> defaults = new ArrayList<>();
		try {
			for (String file : this.files) {
				Matcher matcher = VARIABLE.matcher(Files.readString(HOME.resolve(file)));
				while (matcher.find()) {
					if (matcher.group(1).equals(name)) {
						defaults.add(matcher.group(2));
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return defaults;
	}

	String interpolate(String value) {
		Matcher matcher = INTERPOLATED.matcher(value);
		StringBuilder result = new StringBuilder();
		while (matcher.find()) {
			String fallback = (matcher.group(1) == null) ? "$"
					: this.dotEnv.getOrDefault(matcher.group(1), (matcher.group(2) != null) ? matcher.group(2) : "");
			matcher.appendReplacement(result, Matcher.quoteReplacement(fallback));
		}
		matcher.appendTail(result);
		return result.toString();
	}

	/**
	 * The files and directories a service mounts, by their path in the container.
	 * @param service the service
	 * @return container path to the path on this machine
	 */
	Map<String, Path> mounts(String service) {
		Map<String, Path> mounts = new LinkedHashMap<>();
		for (Object volume : (List<?>) service(service).getOrDefault("volumes", List.of())) {
			String[] parts = interpolate(String.valueOf(volume)).split(":");
			if (parts.length >= 2 && parts[0].startsWith(".")) {
				mounts.put(parts[1], HOME.resolve(parts[0]).normalize());
			}
		}
		return mounts;
	}

	/**
	 * The named volumes a service mounts, by their path in the container.
	 * @param service the service
	 * @return container path to the volume's name
	 */
	Map<String, String> volumes(String service) {
		Map<String, String> volumes = new LinkedHashMap<>();
		for (Object volume : (List<?>) service(service).getOrDefault("volumes", List.of())) {
			String[] parts = interpolate(String.valueOf(volume)).split(":");
			if (parts.length >= 2 && !parts[0].startsWith(".") && !parts[0].startsWith("/")) {
				volumes.put(parts[1], parts[0]);
			}
		}
		return volumes;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object value) {
		return (Map<String, Object>) value;
	}

	private static void merge(Map<String, Object> into, Map<String, Object> from) {
		from.forEach((key, value) -> {
			if (into.get(key) instanceof Map<?, ?> earlier && value instanceof Map<?, ?>) {
				// A copy: YAML anchors share one map between services.
				Map<String, Object> merged = new LinkedHashMap<>(map(earlier));
				merge(merged, map(value));
				into.put(key, merged);
			}
			else if (MERGED_LISTS.contains(key) && into.get(key) instanceof List<?> earlier
					&& value instanceof List<?> later) {
				// Compose adds a later file's mounts and ports to the earlier ones; a
				// mount
				// of the same path in the container replaces the earlier.
				Map<String, Object> merged = new LinkedHashMap<>();
				earlier.forEach((item) -> merged.put(listKey(key, item), item));
				later.forEach((item) -> merged.put(listKey(key, item), item));
				into.put(key, new ArrayList<>(merged.values()));
			}
			else {
				into.put(key, value);
			}
		});
	}

	/** A mount by its path in the container, a port mapping by itself. */
	private static String listKey(String list, Object item) {
		String[] parts = String.valueOf(item).split(":");
		return (list.equals("volumes") && parts.length >= 2) ? parts[1] : String.valueOf(item);
	}

	private static Map<String, String> dotEnv(Path file) {
		Map<String, String> values = new LinkedHashMap<>();
		try {
			for (String line : Files.readAllLines(file)) {
				String trimmed = line.strip();
				if (!trimmed.isEmpty() && !trimmed.startsWith("#") && trimmed.contains("=")) {
					values.put(trimmed.substring(0, trimmed.indexOf('=')), trimmed.substring(trimmed.indexOf('=') + 1));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return values;
	}

}
