package io.ordersaga.support.web;

import java.util.Currency;
import java.util.regex.Pattern;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import org.jspecify.annotations.Nullable;

/**
 * Accepts what {@link Currency#getInstance(String)} knows, in upper case; null is left to
 * {@code @NotNull}.
 */
public class IsoCurrencyValidator implements ConstraintValidator<IsoCurrency, String> {

	private static final Pattern CODE = Pattern.compile("[A-Z]{3}");

	@Override
	public boolean isValid(@Nullable String value, ConstraintValidatorContext context) {
		if (value == null) {
			return true;
		}
		if (!CODE.matcher(value).matches()) {
			return false;
		}
		try {
			Currency.getInstance(value);
			return true;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

}
