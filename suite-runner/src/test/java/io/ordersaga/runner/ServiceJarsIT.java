package io.ordersaga.runner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jars that {@code ./run} starts hold the project's libraries of this build. A change
 * to service-support alone (its shared settings, say) once left every service jar with
 * the copy of an earlier build, because the executable jar was repackaged from itself.
 */
class ServiceJarsIT {

	@ParameterizedTest
	@ValueSource(strings = { "order-service", "payment-service", "notification-service" })
	void holdsTheServiceSupportAndSharedEventsOfThisBuild(String service) throws IOException {
		Path jar = ComposeFile.HOME.resolve(service + "/target/" + service + ".jar");
		try (ZipFile executable = new ZipFile(jar.toFile())) {
			for (String library : new String[] { "service-support", "shared-events" }) {
				String name = library + ".jar";
				ZipEntry nested = executable.stream()
					.filter((entry) -> entry.getName().matches("BOOT-INF/lib/" + library + "-[0-9].*\\.jar"))
					.findFirst()
					.orElse(null);
				assertThat(nested).as(library + " in " + jar).isNotNull();
				try (InputStream in = executable.getInputStream(nested);
						InputStream built = Files
							.newInputStream(ComposeFile.HOME.resolve(library + "/target/" + name))) {
					Map<String, Long> packaged = contents(in);
					Map<String, Long> made = contents(built);
					Set<String> differing = new TreeSet<>(packaged.keySet());
					differing.addAll(made.keySet());
					differing.removeIf((file) -> Objects.equals(packaged.get(file), made.get(file)));
					assertThat(differing)
						.as("files of " + name + " in " + jar + " that differ from what the build made")
						.isEmpty();
				}
			}
		}
	}

	/** A jar's files and a checksum of each: a jar made again holds other timestamps. */
	private static Map<String, Long> contents(InputStream jar) throws IOException {
		Map<String, Long> contents = new TreeMap<>();
		try (ZipInputStream zip = new ZipInputStream(jar)) {
			for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
				CRC32 crc = new CRC32();
				crc.update(zip.readAllBytes());
				contents.put(entry.getName(), crc.getValue());
			}
		}
		return contents;
	}

}
