package io.ordersaga.order;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.math.BigDecimal;
import java.util.Currency;

import io.ordersaga.events.Money;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import org.jspecify.annotations.Nullable;

/**
 * Every unit price of an order has no more digits after the decimal point than the
 * order's currency has minor units ({@link Money}): {@code 12.50} is a price in EUR but
 * not in JPY. Each price that has more is reported at its own field.
 */
@Documented
@Constraint(validatedBy = PricedInCurrency.Validator.class)
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@interface PricedInCurrency {

	String message() default "must fit the currency's minor units";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	/** Checks the prices of a {@link PlaceOrderRequest} once its fields are valid. */
	class Validator implements ConstraintValidator<PricedInCurrency, PlaceOrderRequest> {

		@Override
		public boolean isValid(@Nullable PlaceOrderRequest order, ConstraintValidatorContext context) {
			Currency currency = (order != null) ? currency(order.currency()) : null;
			if (order == null || currency == null || order.items() == null) {
				// Left to the fields' own constraints.
				return true;
			}
			boolean valid = true;
			for (int i = 0; i < order.items().size(); i++) {
				PlaceOrderRequest.Item item = order.items().get(i);
				BigDecimal price = (item != null) ? item.unitPrice() : null;
				String problem = (price != null && price.signum() > 0) ? Money.problem(price, currency) : null;
				if (problem != null) {
					valid = false;
					context.disableDefaultConstraintViolation();
					context.buildConstraintViolationWithTemplate(problem)
						.addPropertyNode("items")
						.addPropertyNode("unitPrice")
						.inIterable()
						.atIndex(i)
						.addConstraintViolation();
				}
			}
			return valid;
		}

		private static @Nullable Currency currency(@Nullable String code) {
			try {
				return (code != null) ? Currency.getInstance(code) : null;
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
		}

	}

}
