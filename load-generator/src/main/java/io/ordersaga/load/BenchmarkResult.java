package io.ordersaga.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything one benchmark run measured.
 *
 * @param date the day it ran
 * @param machine where it ran
 * @param stackReadySeconds from {@code ./run} to its ready line (broker, topics, three
 * services started side by side)
 * @param ceiling what Kafka itself does on the same broker
 * @param warmUp the suite warming up, as fast as it goes, from a fresh start
 * @param open the open-model runs, lowest rate first
 * @param max the as-fast-as-it-goes run
 * @param maxUnkeyed the same without an {@code Idempotency-Key}, as curl sends orders
 * @param flood the same again, with clients that send again at once when refused,
 * ignoring {@code Retry-After}
 * @param overload each kind of client's overload curve
 * @param services each service's start-up and memory
 * @param profiled the same as {@code max} again, with the profiles being recorded
 * @param profiles where each service spent its CPU during the profiled run
 */
public record BenchmarkResult(String date, Machine machine, double stackReadySeconds, KafkaCeiling ceiling,
		List<LoadResult> warmUp, List<LoadResult> open, LoadResult max, LoadResult maxUnkeyed, LoadResult flood,
		List<Overload> overload, LoadResult profiled, List<Service> services, List<Profile> profiles) {

	/**
	 * Every load run, the warm-up's included.
	 * @return the runs
	 */
	List<LoadResult> runs() {
		List<LoadResult> runs = new ArrayList<>(this.warmUp);
		runs.addAll(this.open);
		runs.addAll(List.of(this.max, this.maxUnkeyed, this.flood, this.profiled));
		this.overload.forEach((curve) -> runs.addAll(curve.runs()));
		return runs;
	}

	/**
	 * One kind of client's overload curve: open-model runs at shares and multiples of the
	 * rate its own saturation run completed.
	 *
	 * @param keyed whether each order had an {@code Idempotency-Key}
	 * @param saturation the sagas per second its saturation run completed
	 * @param runs the runs, lowest rate first
	 */
	public record Overload(boolean keyed, double saturation, List<LoadResult> runs) {

		/**
		 * The kind of client, for labels.
		 * @return {@code keyed} or {@code unkeyed}
		 */
		public String kind() {
			return kind(this.keyed);
		}

		static String kind(boolean keyed) {
			return keyed ? "keyed" : "unkeyed";
		}

	}

	/**
	 * A service's start-up and memory.
	 *
	 * @param name the service
	 * @param coldStartSeconds JVM start to started application, while the three services
	 * start side by side
	 * @param soloStartSeconds the same when it starts on its own, the rest of the suite
	 * running
	 * @param rssMiB resident memory right after the max run, which runs without the
	 * profiler
	 * @param peakRssMiB the most resident memory it had
	 */
	public record Service(String name, double coldStartSeconds, double soloStartSeconds, long rssMiB, long peakRssMiB) {
	}

	/**
	 * The machine.
	 *
	 * @param cores the processors the JVM sees
	 * @param memoryGiB the machine's memory
	 * @param cpu the processor's model
	 * @param jdk the Java runtime the suite and the generator ran on
	 * @param os the operating system
	 */
	public record Machine(int cores, double memoryGiB, String cpu, String jdk, String os) {

		static Machine current() {
			return new Machine(Runtime.getRuntime().availableProcessors(), totalMemoryGiB(), cpuModel(),
					System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
					System.getProperty("os.name") + " " + System.getProperty("os.version"));
		}

		private static double totalMemoryGiB() {
			return procLine("/proc/meminfo", "MemTotal:")
				.map((line) -> Math.round(Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0 * 10) / 10.0)
				.orElse(-1.0);
		}

		private static String cpuModel() {
			return procLine("/proc/cpuinfo", "model name").map((line) -> line.substring(line.indexOf(':') + 1).strip())
				.orElse(System.getProperty("os.arch"));
		}

		private static java.util.Optional<String> procLine(String file, String prefix) {
			try {
				return Files.readAllLines(Path.of(file)).stream().filter((line) -> line.startsWith(prefix)).findFirst();
			}
			catch (IOException ex) {
				return java.util.Optional.empty();
			}
		}

	}

}
