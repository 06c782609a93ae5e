package io.ordersaga.events;

import java.util.Collection;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The checks every record of the contract runs in its constructor, so an event that
 * breaks the contract can neither be built nor deserialized.
 */
final class Contract {

	private static final Pattern REASON_CODE = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");

	private Contract() {
	}

	static <T> T required(@Nullable T value, String field) {
		if (value == null) {
			throw new IllegalArgumentException("'" + field + "' is required");
		}
		return value;
	}

	static String requiredText(@Nullable String value, String field) {
		String text = required(value, field);
		if (text.isBlank()) {
			throw new IllegalArgumentException("'" + field + "' must not be blank");
		}
		return text;
	}

	static <C extends Collection<?>> C requiredNotEmpty(@Nullable C value, String field) {
		C collection = required(value, field);
		if (collection.isEmpty()) {
			throw new IllegalArgumentException("'" + field + "' must not be empty");
		}
		return collection;
	}

	/**
	 * Reason codes are open-ended: a newer producer may send a code an older consumer
	 * does not know, so they are checked for shape only.
	 */
	static String reasonCode(@Nullable String code) {
		String text = requiredText(code, "reason");
		if (!REASON_CODE.matcher(text).matches()) {
			throw new IllegalArgumentException(
					"'reason' must be an upper-case code like INSUFFICIENT_FUNDS, was " + text);
		}
		return text;
	}

}
