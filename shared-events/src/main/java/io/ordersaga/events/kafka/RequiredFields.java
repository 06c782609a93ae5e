package io.ordersaga.events.kafka;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Finds the required fields a JSON payload lacks. A record component is required unless
 * it is marked {@code @Nullable}, the rule the JSON Schemas of the contract follow too.
 * Doing this before binding gives one clear message naming every missing field, and stops
 * a missing number from silently binding as zero.
 *
 * <p>
 * It runs for every event every service reads, so what reflection tells about a type is
 * worked out once per type, and a field's path is spelled out only when it is missing.
 */
final class RequiredFields {

	private static final ClassValue<List<Field>> FIELDS = new ClassValue<>() {

		@Override
		protected List<Field> computeValue(Class<?> recordType) {
			return Arrays.stream(recordType.getRecordComponents()).map(Field::of).toList();
		}

	};

	private RequiredFields() {
	}

	static List<String> missing(JsonNode node, Class<?> recordType) {
		List<String> missing = new ArrayList<>(0);
		collect(node, recordType, null, missing);
		return missing;
	}

	private static void collect(JsonNode node, Class<?> recordType, @Nullable Path parent, List<String> missing) {
		for (Field field : FIELDS.get(recordType)) {
			JsonNode value = node.get(field.name());
			if (value == null || value.isNull()) {
				if (!field.optional()) {
					missing.add(new Path(parent, field.name(), -1).toString());
				}
				continue;
			}
			if (field.nested() != null && value.isObject()) {
				collect(value, field.nested(), new Path(parent, field.name(), -1), missing);
			}
			if (field.elements() != null && value.isArray()) {
				for (int i = 0; i < value.size(); i++) {
					if (value.get(i).isObject()) {
						collect(value.get(i), field.elements(), new Path(parent, field.name(), i), missing);
					}
				}
			}
		}
	}

	static boolean isOptional(RecordComponent component) {
		return component.getAnnotatedType().isAnnotationPresent(Nullable.class);
	}

	/** Records such as reason codes are written as a single JSON value, not an object. */
	static boolean isValueType(Class<?> type) {
		return type.isRecord() && type.getRecordComponents().length == 1
				&& type.getRecordComponents()[0].getAccessor().isAnnotationPresent(JsonValue.class);
	}

	static @Nullable Class<?> recordElementType(Type type) {
		if (type instanceof ParameterizedType parameterized && parameterized.getRawType() == List.class
				&& parameterized.getActualTypeArguments()[0] instanceof Class<?> element && element.isRecord()) {
			return element;
		}
		return null;
	}

	/**
	 * What the check needs to know of one record component.
	 *
	 * @param name the JSON field
	 * @param optional whether it may be absent
	 * @param nested the record type of an object value whose fields are checked too
	 * @param elements the record type of the elements of a list value
	 */
	private record Field(String name, boolean optional, @Nullable Class<?> nested, @Nullable Class<?> elements) {

		static Field of(RecordComponent component) {
			Class<?> type = component.getType();
			Class<?> nested = (type.isRecord() && !isValueType(type)) ? type : null;
			return new Field(component.getName(), isOptional(component), nested,
					recordElementType(component.getGenericType()));
		}

	}

	/**
	 * Where a field is, as in {@code items[0].quantity}, spelled out only for an error.
	 *
	 * @param parent the enclosing field, or {@code null} at the top
	 * @param name this field
	 * @param index the element of a list this field's value is, or -1
	 */
	private record Path(@Nullable Path parent, String name, int index) {

		@Override
		public String toString() {
			String self = (this.index >= 0) ? this.name + "[" + this.index + "]" : this.name;
			return (this.parent != null) ? this.parent + "." + self : self;
		}

	}

}
