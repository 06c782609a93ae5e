package io.ordersaga.kafka.test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A JSON body as the README shows it, with {@code ...} where it leaves something out,
 * compared with a real one. {@code ...} stands for:
 * <ul>
 * <li>the other members of an object, where a member would be:
 * {@code {"status":"CONFIRMED",...}};</li>
 * <li>any value, in place of a value: {@code "commandId":"..."}, {@code "content":[...]}.
 * </li>
 * </ul>
 * Everything the README does show must be there: an object without {@code ...} has
 * exactly its members, an array exactly its elements in order, and numbers are compared
 * by value, so {@code 25.00} matches {@code 25.0}.
 */
public final class ReadmeJson {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Stands in for a left-out value; no real body has it. */
	private static final String ANY = "\u0000any value";

	/** Stands in for left-out members of an object. */
	private static final String MORE = "\u0000more members";

	private static final Pattern ANY_VALUE = Pattern.compile("\"\\.\\.\\.\"|\\[\\s*\\.\\.\\.\\s*]");

	private static final Pattern MORE_MEMBERS = Pattern.compile("(?<=[{,])\\s*\\.\\.\\.\\s*(?=[,}])");

	private ReadmeJson() {
	}

	/**
	 * Whether a README block shows a JSON body.
	 * @param body the block's text after its headers
	 * @return whether it starts as JSON does
	 */
	public static boolean isJson(String body) {
		String text = body.strip();
		return text.startsWith("{") || text.startsWith("[");
	}

	/**
	 * Compares a real body with the README's.
	 * @param shown the body as the README shows it
	 * @param actual the body a service answered with
	 * @return where they differ, one entry per difference, empty if nowhere
	 * @throws IllegalArgumentException if what the README shows is not JSON
	 */
	public static List<String> mismatches(String shown, String actual) {
		JsonNode expected = readOrNull(pattern(shown));
		if (expected == null) {
			throw new IllegalArgumentException("The README shows a body that is not JSON, even with its ... "
					+ "standing for members or values: " + shown);
		}
		JsonNode real = readOrNull(actual);
		if (real == null) {
			return List.of("the body is not JSON: " + actual);
		}
		List<String> mismatches = new ArrayList<>();
		compare("$", expected, real, mismatches);
		return mismatches;
	}

	/** The README's body as JSON, each {@code ...} replaced by what it stands for. */
	static String pattern(String shown) {
		String values = ANY_VALUE.matcher(shown).replaceAll(Matcher.quoteReplacement(JSON.writeValueAsString(ANY)));
		return MORE_MEMBERS.matcher(values)
			.replaceAll(Matcher.quoteReplacement(JSON.writeValueAsString(MORE) + ":true"));
	}

	private static @Nullable JsonNode readOrNull(String text) {
		try {
			JsonNode node = JSON.readTree(text);
			return node.isMissingNode() ? null : node;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static void compare(String path, JsonNode expected, JsonNode actual, List<String> mismatches) {
		if (actual.isMissingNode()) {
			mismatches.add(path + ": missing");
		}
		else if (expected.isString() && ANY.equals(expected.asString())) {
			return;
		}
		else if (expected.isObject()) {
			compareObjects(path, expected, actual, mismatches);
		}
		else if (expected.isArray()) {
			compareArrays(path, expected, actual, mismatches);
		}
		else if (expected.isNumber()
				? !actual.isNumber() || expected.decimalValue().compareTo(actual.decimalValue()) != 0
				: !expected.equals(actual)) {
			mismatches.add(path + ": expected " + expected + " but was " + actual);
		}
	}

	private static void compareObjects(String path, JsonNode expected, JsonNode actual, List<String> mismatches) {
		if (!actual.isObject()) {
			mismatches.add(path + ": expected an object but was " + actual);
			return;
		}
		Set<String> shown = new LinkedHashSet<>(expected.propertyNames());
		boolean more = shown.remove(MORE);
		for (String name : shown) {
			compare(path + "." + name, expected.get(name), actual.path(name), mismatches);
		}
		if (!more) {
			actual.propertyNames()
				.stream()
				.filter((name) -> !shown.contains(name))
				.forEach((name) -> mismatches.add(path + "." + name + ": not shown in the README"));
		}
	}

	private static void compareArrays(String path, JsonNode expected, JsonNode actual, List<String> mismatches) {
		if (!actual.isArray() || actual.size() != expected.size()) {
			mismatches.add(path + ": expected " + expected.size() + " elements but was " + actual);
			return;
		}
		for (int i = 0; i < expected.size(); i++) {
			compare(path + "[" + i + "]", expected.get(i), actual.get(i), mismatches);
		}
	}

}
