package io.ordersaga.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The repository's {@code Dockerfile} as its build stages and their instructions, with
 * continued lines joined and comments left out, as Docker reads it.
 */
final class Dockerfile {

	private Dockerfile() {
	}

	static List<Stage> stages() {
		List<Stage> stages = new ArrayList<>();
		for (Instruction instruction : instructions()) {
			if (instruction.keyword().equals("FROM")) {
				String[] words = instruction.arguments().split("\\s+");
				String name = (words.length == 3 && words[1].equalsIgnoreCase("AS")) ? words[2] : null;
				stages.add(new Stage(words[0], name, new ArrayList<>()));
			}
			else if (!stages.isEmpty()) {
				stages.get(stages.size() - 1).instructions().add(instruction);
			}
		}
		return stages;
	}

	static Stage stage(String name) {
		return stages().stream()
			.filter((stage) -> name.equals(stage.name()))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No stage " + name));
	}

	private static List<Instruction> instructions() {
		List<String> lines;
		try {
			lines = Files.readAllLines(ComposeFile.HOME.resolve("Dockerfile"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		List<Instruction> instructions = new ArrayList<>();
		StringBuilder current = new StringBuilder();
		for (String line : lines) {
			String stripped = line.strip();
			if (stripped.isEmpty() || stripped.startsWith("#")) {
				continue;
			}
			if (stripped.endsWith("\\")) {
				current.append(stripped, 0, stripped.length() - 1).append(' ');
				continue;
			}
			current.append(stripped);
			String text = current.toString().strip();
			current.setLength(0);
			int space = text.indexOf(' ');
			instructions.add(new Instruction(text.substring(0, space).toUpperCase(Locale.ROOT),
					text.substring(space + 1).strip()));
		}
		return instructions;
	}

	/** One instruction, such as {@code RUN} and its command. */
	record Instruction(String keyword, String arguments) {
	}

	/**
	 * A build stage: its base image, its name and its instructions after {@code FROM}.
	 */
	record Stage(String image, String name, List<Instruction> instructions) {

		List<String> arguments(String keyword) {
			return this.instructions.stream()
				.filter((instruction) -> instruction.keyword().equals(keyword))
				.map(Instruction::arguments)
				.toList();
		}

	}

}
