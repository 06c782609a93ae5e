package io.ordersaga.support.web;

import java.lang.annotation.Annotation;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.server.ContentTooLargeException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Answers every bad request with an RFC 9457 problem detail, naming each violated field
 * in an {@code errors} array ({@code items[0].quantity}), and never with a stack trace.
 * Spring's base class already covers unsupported media types (415), unknown paths (404),
 * wrong methods (405) and oversized bodies (413); this class adds the field-level detail
 * and catches what is left, so nothing a client sends yields a 5xx.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Log log = LogFactory.getLog(ApiExceptionHandler.class);

	/**
	 * One violated field.
	 *
	 * @param field the field's path in the request, or the parameter's name
	 * @param message what is wrong with it
	 */
	public record FieldViolation(String field, String message) {
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<FieldViolation> errors = new ArrayList<>();
		ex.getFieldErrors()
			.forEach((error) -> errors.add(new FieldViolation(error.getField(), message(error.getDefaultMessage()))));
		ex.getGlobalErrors()
			.forEach((error) -> errors.add(new FieldViolation("$", message(error.getDefaultMessage()))));
		return problem(ex, status, "The request is not valid.", errors, headers, request);
	}

	/** Used instead of the above once a handler parameter carries a constraint itself. */
	@Override
	protected @Nullable ResponseEntity<Object> handleHandlerMethodValidationException(
			HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<FieldViolation> errors = new ArrayList<>();
		ex.getParameterValidationResults().forEach((result) -> {
			if (result instanceof ParameterErrors bean) {
				bean.getFieldErrors()
					.forEach((error) -> errors
						.add(new FieldViolation(error.getField(), message(error.getDefaultMessage()))));
			}
			else {
				String name = parameterName(result.getMethodParameter().getParameterName(),
						result.getMethodParameter().getParameterAnnotations());
				result.getResolvableErrors()
					.forEach((error) -> errors.add(new FieldViolation(name, message(error.getDefaultMessage()))));
			}
		});
		return problem(ex, status, "The request is not valid.", errors, headers, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ContentTooLargeException tooLarge = findCause(ex, ContentTooLargeException.class);
		if (tooLarge != null) {
			// The limit was hit while Jackson was reading a chunked body.
			return handleErrorResponseException(tooLarge, new HttpHeaders(), tooLarge.getStatusCode(), request);
		}
		MismatchedInputException mismatch = findCause(ex, MismatchedInputException.class);
		if (mismatch != null) {
			String message = (mismatch instanceof UnrecognizedPropertyException) ? "is not a known property"
					: "must be " + jsonType(mismatch.getTargetType());
			return problem(ex, status, "The request body does not have the expected shape.",
					List.of(new FieldViolation(jsonPath(mismatch.getPath()), message)), headers, request);
		}
		String detail = (findCause(ex, StreamReadException.class) != null) ? "The request body is not valid JSON."
				: "The request body is missing or unreadable.";
		return problem(ex, status, detail, null, headers, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		String name = (ex instanceof MethodArgumentTypeMismatchException mismatch) ? mismatch.getName()
				: String.valueOf(ex.getPropertyName());
		Class<?> required = ex.getRequiredType();
		return problem(ex, status, "A parameter has the wrong type.",
				List.of(new FieldViolation(name, "must be " + jsonType(required))), headers, request);
	}

	/** Anything else is our fault: logged with its stack trace, answered without it. */
	@ExceptionHandler(Exception.class)
	@Nullable ResponseEntity<Object> handleUnexpected(Exception ex, WebRequest request) {
		log.error("Unexpected error while handling " + request.getDescription(false), ex);
		return problem(ex, HttpStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred.", null, new HttpHeaders(),
				request);
	}

	private @Nullable ResponseEntity<Object> problem(Exception ex, HttpStatusCode status, String detail,
			@Nullable List<FieldViolation> errors, HttpHeaders headers, WebRequest request) {
		ProblemDetail body = createProblemDetail(ex, status, detail, null, null, request);
		body.setDetail(detail);
		if (errors != null) {
			body.setProperty("errors",
					errors.stream().sorted(Comparator.comparing(FieldViolation::field)).distinct().toList());
		}
		return handleExceptionInternal(ex, body, headers, status, request);
	}

	private static String parameterName(@Nullable String javaName, Annotation[] annotations) {
		for (Annotation annotation : annotations) {
			if (annotation instanceof RequestHeader header && !header.name().isEmpty()) {
				return header.name();
			}
			if (annotation instanceof RequestParam param && !param.name().isEmpty()) {
				return param.name();
			}
		}
		return (javaName != null) ? javaName : "?";
	}

	private static String message(@Nullable String message) {
		return (message != null) ? message : "is not valid";
	}

	/** A Jackson path in the style of bean validation: {@code items[0].quantity}. */
	private static String jsonPath(List<JacksonException.Reference> path) {
		StringBuilder result = new StringBuilder();
		for (JacksonException.Reference reference : path) {
			if (reference.getPropertyName() != null) {
				result.append(result.isEmpty() ? "" : ".").append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				result.append('[').append(reference.getIndex()).append(']');
			}
		}
		return result.isEmpty() ? "$" : result.toString();
	}

	private static String jsonType(@Nullable Class<?> type) {
		if (type == null) {
			return "a valid value";
		}
		if (type == int.class || type == Integer.class || type == long.class || type == Long.class
				|| type == BigInteger.class) {
			return "an integer";
		}
		if (Number.class.isAssignableFrom(type) || type.isPrimitive() && type != boolean.class) {
			return "a number";
		}
		if (type == boolean.class || type == Boolean.class) {
			return "true or false";
		}
		if (type == UUID.class) {
			return "a UUID";
		}
		if (type.isEnum()) {
			return "one of " + List.of(type.getEnumConstants());
		}
		if (CharSequence.class.isAssignableFrom(type)) {
			return "a string";
		}
		if (type.isArray() || Collection.class.isAssignableFrom(type)) {
			return "an array";
		}
		return Map.class.isAssignableFrom(type) || type.isRecord() ? "an object" : "a valid value";
	}

	private static <T extends Throwable> @Nullable T findCause(Throwable ex, Class<T> type) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

}
