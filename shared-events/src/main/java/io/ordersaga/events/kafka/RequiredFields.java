package io.ordersaga.events.kafka;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Finds the required fields a JSON payload lacks. A record component is required unless
 * it is marked {@code @Nullable}, the rule the JSON Schemas of the contract follow too.
 * Doing this before binding gives one clear message naming every missing field, and stops
 * a missing number from silently binding as zero.
 */
final class RequiredFields {

	private RequiredFields() {
	}

	static List<String> missing(JsonNode node, Class<?> recordType) {
		List<String> missing = new ArrayList<>();
		collect(node, recordType, "", missing);
		return missing;
	}

	private static void collect(JsonNode node, Class<?> recordType, String path, List<String> missing) {
		for (RecordComponent component : recordType.getRecordComponents()) {
			String name = path + component.getName();
			JsonNode value = node.get(component.getName());
			if (value == null || value.isNull()) {
				if (!isOptional(component)) {
					missing.add(name);
				}
				continue;
			}
			Class<?> type = component.getType();
			if (type.isRecord() && value.isObject() && !isValueType(type)) {
				collect(value, type, name + ".", missing);
			}
			Class<?> elementType = recordElementType(component.getGenericType());
			if (elementType != null && value.isArray()) {
				for (int i = 0; i < value.size(); i++) {
					if (value.get(i).isObject()) {
						collect(value.get(i), elementType, name + "[" + i + "].", missing);
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

}
