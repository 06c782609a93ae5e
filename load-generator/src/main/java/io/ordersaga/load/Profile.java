package io.ordersaga.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ordersaga.runner.Commands;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a service spends its CPU, from a JDK Flight Recorder recording: each execution
 * sample is charged to the first frame outside the JDK, so the JDK code a library calls
 * counts as that library's.
 *
 * @param service the service
 * @param samples how many execution samples the recording holds
 * @param byArea share of samples per area of code, largest first, in percent
 * @param topMethods share of samples per method (the first frame outside the JDK),
 * largest first, in percent
 */
record Profile(String service, long samples, Map<String, Double> byArea, Map<String, Double> topMethods) {

	private static final List<String[]> AREAS = List.of(new String[] { "io.ordersaga.", "the services' own code" },
			new String[] { "tools.jackson.", "JSON (Jackson)" },
			new String[] { "org.apache.kafka.streams.", "Kafka Streams" },
			new String[] { "org.rocksdb.", "RocksDB (state stores)" },
			new String[] { "org.apache.kafka.", "Kafka clients" },
			new String[] { "io.micrometer.", "observation, metrics and tracing" },
			new String[] { "io.opentelemetry.", "observation, metrics and tracing" },
			new String[] { "org.apache.catalina.", "HTTP (Tomcat and Spring MVC)" },
			new String[] { "org.apache.coyote.", "HTTP (Tomcat and Spring MVC)" },
			new String[] { "org.apache.tomcat.", "HTTP (Tomcat and Spring MVC)" },
			new String[] { "org.springframework.web.", "HTTP (Tomcat and Spring MVC)" },
			new String[] { "org.springframework.kafka.", "Spring for Apache Kafka" },
			new String[] { "org.springframework.", "Spring (other)" }, new String[] { "ch.qos.logback.", "logging" },
			new String[] { "org.slf4j.", "logging" });

	/** Starts a recording in a running JVM. */
	static void start(ProcessHandle process, Path file) {
		jcmd(process, "JFR.start", "name=benchmark", "settings=profile", "filename=" + file.toAbsolutePath());
	}

	/** Stops the recording, which writes its file. */
	static void stop(ProcessHandle process) {
		jcmd(process, "JFR.stop", "name=benchmark");
	}

	static Profile read(String service, Path file) {
		Map<String, Long> areas = new HashMap<>();
		Map<String, Long> methods = new HashMap<>();
		long samples = 0;
		try {
			for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
				if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
					continue;
				}
				samples++;
				RecordedFrame charged = null;
				for (RecordedFrame frame : event.getStackTrace().getFrames()) {
					if (frame.isJavaFrame() && !isJdk(frame.getMethod().getType().getName())) {
						charged = frame;
						break;
					}
				}
				if (charged == null) {
					areas.merge("the JDK itself (threads, I/O, collections)", 1L, Long::sum);
					continue;
				}
				String type = charged.getMethod().getType().getName();
				areas.merge(area(type), 1L, Long::sum);
				methods.merge(type.substring(type.lastIndexOf('.') + 1) + "." + charged.getMethod().getName(), 1L,
						Long::sum);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return new Profile(service, samples, shares(areas, samples, 10), shares(methods, samples, 8));
	}

	private static boolean isJdk(String type) {
		return type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.")
				|| type.startsWith("javax.") || type.startsWith("com.sun.");
	}

	private static String area(String type) {
		for (String[] area : AREAS) {
			if (type.startsWith(area[0])) {
				return area[1];
			}
		}
		return "other libraries";
	}

	private static Map<String, Double> shares(Map<String, Long> counts, long total, int limit) {
		Map<String, Double> shares = new LinkedHashMap<>();
		counts.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
			.limit(limit)
			.forEach((entry) -> shares.put(entry.getKey(), Math.round(1000.0 * entry.getValue() / total) / 10.0));
		return shares;
	}

	private static void jcmd(ProcessHandle process, String... command) {
		List<String> arguments = new ArrayList<>(List
			.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(process.pid())));
		arguments.addAll(List.of(command));
		Commands.output(new ProcessBuilder(arguments), Duration.ofMinutes(1));
	}

}
