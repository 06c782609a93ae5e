package io.ordersaga.events.kafka;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonCreator;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Binds an event's payload from its JSON tree to its record directly, in the case every
 * valid event is: each field present with a value of the form the contract writes (text,
 * an amount as a string of digits, an integer, a currency code, a canonical UUID, a known
 * code). Anything else, and any value the record refuses, is left to Jackson's data
 * binding ({@link #bind} answers {@code null}), whose errors name the field; so the codec
 * reads exactly what it read before, and reports what it reported.
 *
 * <p>
 * Jackson's binding of records (finding the creator's properties, buffering them,
 * converting each value) was about half the cost of reading an event; this does the same
 * work with what the record's components tell, worked out once per type.
 */
final class PayloadBinder {

	/** A value not in its plain form. */
	private static final Object NOT_PLAIN = new Object();

	private static final ClassValue<Optional<RecordReader>> READERS = new ClassValue<>() {

		@Override
		protected Optional<RecordReader> computeValue(Class<?> type) {
			return Optional.ofNullable(RecordReader.of(type));
		}

	};

	private PayloadBinder() {
	}

	/**
	 * Binds a payload.
	 * @param data the payload, a JSON object whose required fields are all present
	 * @param recordType the payload's record
	 * @return the record, or {@code null} if Jackson must bind it
	 */
	static @Nullable Object bind(JsonNode data, Class<?> recordType) {
		RecordReader reader = READERS.get(recordType).orElse(null);
		Object value = (reader != null) ? reader.read(data) : NOT_PLAIN;
		return (value != NOT_PLAIN) ? value : null;
	}

	/** Reads one JSON value, answering {@link #NOT_PLAIN} for anything unusual. */
	@FunctionalInterface
	private interface ValueReader {

		Object read(JsonNode value);

		/**
		 * How a component of a type is read, or {@code null} for a type that only Jackson
		 * binds.
		 */
		static @Nullable ValueReader of(Class<?> type, Type genericType) {
			if (type == String.class) {
				return (value) -> value.isString() ? value.stringValue() : NOT_PLAIN;
			}
			if (type == int.class || type == Integer.class) {
				return (value) -> (value.isIntegralNumber() && value.canConvertToInt()) ? value.intValue() : NOT_PLAIN;
			}
			if (type == BigDecimal.class) {
				return (value) -> value.isString() ? amount(value.stringValue()) : NOT_PLAIN;
			}
			if (type == Currency.class) {
				return (value) -> value.isString() ? currency(value.stringValue()) : NOT_PLAIN;
			}
			if (type == UUID.class) {
				return (value) -> {
					UUID uuid = value.isString() ? CanonicalUuids.parse(value.stringValue()) : null;
					return (uuid != null) ? uuid : NOT_PLAIN;
				};
			}
			if (type.isEnum()) {
				List<?> constants = Arrays.asList(type.getEnumConstants());
				return (value) -> value.isString() ? constant(constants, value.stringValue()) : NOT_PLAIN;
			}
			if (RequiredFields.isValueType(type)) {
				Method creator = stringCreator(type);
				if (creator == null) {
					return null;
				}
				return (value) -> value.isString() ? create(creator, value.stringValue()) : NOT_PLAIN;
			}
			Class<?> elementType = RequiredFields.recordElementType(genericType);
			if (elementType != null) {
				RecordReader elements = READERS.get(elementType).orElse(null);
				if (elements == null) {
					return null;
				}
				return (value) -> value.isArray() ? list(elements, value) : NOT_PLAIN;
			}
			if (type.isRecord()) {
				RecordReader nested = READERS.get(type).orElse(null);
				if (nested == null) {
					return null;
				}
				return (value) -> value.isObject() ? nested.read(value) : NOT_PLAIN;
			}
			return null;
		}

	}

	/**
	 * Reads a record from a JSON object through its canonical constructor.
	 *
	 * @param names the JSON field of each component
	 * @param optional whether each component may be absent
	 * @param readers how each component is read
	 * @param constructor the canonical constructor
	 */
	private record RecordReader(String[] names, boolean[] optional, ValueReader[] readers, Constructor<?> constructor) {

		static @Nullable RecordReader of(Class<?> type) {
			if (!type.isRecord() || !Modifier.isPublic(type.getModifiers())) {
				return null;
			}
			RecordComponent[] components = type.getRecordComponents();
			String[] names = new String[components.length];
			boolean[] optional = new boolean[components.length];
			ValueReader[] readers = new ValueReader[components.length];
			Class<?>[] types = new Class<?>[components.length];
			for (int i = 0; i < components.length; i++) {
				names[i] = components[i].getName();
				optional[i] = RequiredFields.isOptional(components[i]);
				ValueReader reader = ValueReader.of(components[i].getType(), components[i].getGenericType());
				types[i] = components[i].getType();
				if (reader == null || (optional[i] && types[i].isPrimitive())) {
					return null;
				}
				readers[i] = reader;
			}
			try {
				return new RecordReader(names, optional, readers, type.getConstructor(types));
			}
			catch (NoSuchMethodException ex) {
				return null;
			}
		}

		Object read(JsonNode object) {
			Object[] values = new Object[this.names.length];
			for (int i = 0; i < values.length; i++) {
				JsonNode value = object.get(this.names[i]);
				if (value == null || value.isNull()) {
					if (!this.optional[i]) {
						return NOT_PLAIN;
					}
					continue;
				}
				values[i] = this.readers[i].read(value);
				if (values[i] == NOT_PLAIN) {
					return NOT_PLAIN;
				}
			}
			try {
				return this.constructor.newInstance(values);
			}
			catch (ReflectiveOperationException | IllegalArgumentException ex) {
				return NOT_PLAIN;
			}
		}

	}

	/**
	 * An amount as the contract writes it: digits, with an optional sign and fraction.
	 */
	private static Object amount(String text) {
		int start = (!text.isEmpty() && text.charAt(0) == '-') ? 1 : 0;
		int point = -1;
		for (int i = start; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '.' && point < 0 && i > start) {
				point = i;
			}
			else if (c < '0' || c > '9') {
				return NOT_PLAIN;
			}
		}
		if (text.length() == start || point == text.length() - 1) {
			return NOT_PLAIN;
		}
		return new BigDecimal(text);
	}

	private static Object currency(String code) {
		try {
			return Currency.getInstance(code);
		}
		catch (IllegalArgumentException ex) {
			return NOT_PLAIN;
		}
	}

	private static Object constant(List<?> constants, String name) {
		for (Object constant : constants) {
			if (((Enum<?>) constant).name().equals(name)) {
				return constant;
			}
		}
		return NOT_PLAIN;
	}

	private static @Nullable Method stringCreator(Class<?> type) {
		for (Method method : type.getMethods()) {
			if (method.isAnnotationPresent(JsonCreator.class) && Modifier.isStatic(method.getModifiers())
					&& method.getParameterCount() == 1 && method.getParameterTypes()[0] == String.class
					&& method.getReturnType() == type) {
				return method;
			}
		}
		return null;
	}

	private static Object create(Method creator, String value) {
		try {
			return creator.invoke(null, value);
		}
		catch (InvocationTargetException | IllegalAccessException ex) {
			return NOT_PLAIN;
		}
	}

	private static Object list(RecordReader elements, JsonNode array) {
		List<Object> values = new ArrayList<>(array.size());
		for (JsonNode element : array) {
			Object value = element.isObject() ? elements.read(element) : NOT_PLAIN;
			if (value == NOT_PLAIN) {
				return NOT_PLAIN;
			}
			values.add(value);
		}
		return values;
	}

}
