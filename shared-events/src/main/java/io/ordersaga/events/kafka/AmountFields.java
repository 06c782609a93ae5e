package io.ordersaga.events.kafka;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;

import io.ordersaga.events.Money;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Checks every amount of a JSON payload against the {@link Money} rules before it is
 * bound, so that the error names the field as the rest of the codec does
 * ({@code data.items[0].unitPrice}), and so that an amount written with a million digits
 * is refused by its length instead of being parsed: {@link BigDecimal} takes seconds to
 * read one.
 *
 * <p>
 * Amounts are checked against the payload's own {@code currency}; a value that is not a
 * number at all is left to the binding, which reports it.
 */
final class AmountFields {

	/** Longer than any valid amount, even written with many trailing zeros. */
	static final int MAX_AMOUNT_CHARACTERS = 64;

	private static final ClassValue<List<Field>> FIELDS = new ClassValue<>() {

		@Override
		protected List<Field> computeValue(Class<?> recordType) {
			return Arrays.stream(recordType.getRecordComponents()).map(Field::of).filter(Field::hasAmounts).toList();
		}

	};

	private AmountFields() {
	}

	/**
	 * The first amount of a payload that breaks the rules.
	 * @param data the payload
	 * @param recordType its record
	 * @return a message naming the field, such as
	 * {@code wrong value at 'data.total': must
	 * have at most 2 digits after the decimal point in EUR, was 12.345}, or {@code null}
	 */
	static @Nullable String problem(JsonNode data, Class<?> recordType) {
		List<Field> fields = FIELDS.get(recordType);
		if (fields.isEmpty()) {
			return null;
		}
		return problem(data, fields, currency(data.get("currency")), "data");
	}

	private static @Nullable String problem(JsonNode object, List<Field> fields, @Nullable Currency currency,
			String path) {
		for (Field field : fields) {
			JsonNode value = object.get(field.name());
			if (value == null || value.isNull()) {
				continue;
			}
			String at = path + "." + field.name();
			String problem = null;
			if (field.amount()) {
				problem = amountProblem(value, currency, at);
			}
			else if (field.nested() != null && value.isObject()) {
				problem = problem(value, field.nested(), currency, at);
			}
			else if (field.elements() != null && value.isArray()) {
				for (int i = 0; i < value.size() && problem == null; i++) {
					if (value.get(i).isObject()) {
						problem = problem(value.get(i), field.elements(), currency, at + "[" + i + "]");
					}
				}
			}
			if (problem != null) {
				return problem;
			}
		}
		return null;
	}

	private static @Nullable String amountProblem(JsonNode value, @Nullable Currency currency, String at) {
		BigDecimal amount;
		if (value.isString()) {
			String text = value.stringValue();
			if (text.length() > MAX_AMOUNT_CHARACTERS) {
				return "wrong value at '" + at + "': an amount has at most " + MAX_AMOUNT_CHARACTERS
						+ " characters, this one " + text.length();
			}
			try {
				amount = new BigDecimal(text);
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}
		else if (value.isNumber()) {
			try {
				amount = value.decimalValue();
			}
			catch (RuntimeException ex) {
				return null;
			}
		}
		else {
			return null;
		}
		String problem = Money.problem(amount, currency);
		return (problem != null) ? "wrong value at '" + at + "': " + problem + ", was " + Money.shown(amount) : null;
	}

	private static @Nullable Currency currency(@Nullable JsonNode code) {
		if (code == null || !code.isString()) {
			return null;
		}
		try {
			return Currency.getInstance(code.stringValue());
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * A record component that is an amount or holds amounts.
	 *
	 * @param name the JSON field
	 * @param amount whether it is an amount
	 * @param nested the amounts of a nested record, or {@code null}
	 * @param elements the amounts of the records of a list, or {@code null}
	 */
	private record Field(String name, boolean amount, @Nullable List<Field> nested, @Nullable List<Field> elements) {

		static Field of(RecordComponent component) {
			Class<?> type = component.getType();
			Class<?> elementType = RequiredFields.recordElementType(component.getGenericType());
			List<Field> nested = (type.isRecord() && !RequiredFields.isValueType(type)) ? FIELDS.get(type) : null;
			List<Field> elements = (elementType != null) ? FIELDS.get(elementType) : null;
			return new Field(component.getName(), type == BigDecimal.class, nested, elements);
		}

		boolean hasAmounts() {
			return this.amount || (this.nested != null && !this.nested.isEmpty())
					|| (this.elements != null && !this.elements.isEmpty());
		}

	}

}
