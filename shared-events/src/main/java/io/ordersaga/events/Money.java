package io.ordersaga.events;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Currency;

import org.jspecify.annotations.Nullable;

/**
 * What an amount of the contract may be. Every amount is positive, has at most
 * {@value #MAX_INTEGER_DIGITS} digits before the decimal point, and at most as many after
 * it as its currency has minor units (2 for EUR, 0 for JPY, 3 for BHD); zeros beyond
 * those are dropped, so {@code 12.500} EUR is {@code 12.50}. A currency without minor
 * units in ISO 4217 (such as XAU) takes up to {@value #MAX_FRACTION_DIGITS}, the most any
 * currency has.
 *
 * <p>
 * The bounds keep every amount exact in any language and database (18 digits fit a 64-bit
 * integer of minor units, a {@code DECIMAL(22,4)} column, a JavaScript string) and keep
 * every check cheap: an amount such as {@code 1E+10000000} is refused after looking at
 * its precision and scale, before anything writes out its ten million digits.
 */
public final class Money {

	/** The most digits an amount has before its decimal point. */
	public static final int MAX_INTEGER_DIGITS = 18;

	/** The most minor units of any ISO 4217 currency (CLF, UYW). */
	public static final int MAX_FRACTION_DIGITS = 4;

	/**
	 * The most digits an amount may be written with, trailing zeros included: more than
	 * any valid amount needs, and few enough that dropping zeros costs nothing.
	 */
	private static final int MAX_WRITTEN_DIGITS = 40;

	private Money() {
	}

	/**
	 * How many digits after the decimal point an amount in a currency may have.
	 * @param currency the currency, or {@code null} when it is not known
	 * @return its ISO 4217 minor units, or {@value #MAX_FRACTION_DIGITS}
	 */
	public static int minorUnits(@Nullable Currency currency) {
		int digits = (currency != null) ? currency.getDefaultFractionDigits() : -1;
		return (digits >= 0) ? digits : MAX_FRACTION_DIGITS;
	}

	/**
	 * Why an amount breaks the rules, in words that follow its field's name.
	 * @param amount the amount
	 * @param currency its currency, or {@code null} to check it against the most minor
	 * units any currency has
	 * @return for example {@code "must have at most 2 digits after the decimal point in
	 * EUR"}, or {@code null} if it is a valid amount
	 */
	public static @Nullable String problem(BigDecimal amount, @Nullable Currency currency) {
		if (amount.signum() <= 0) {
			return "must be positive";
		}
		// precision - scale is the number of digits before the point, for any scale.
		if ((long) amount.precision() - amount.scale() > MAX_INTEGER_DIGITS) {
			return "must have at most " + MAX_INTEGER_DIGITS + " digits before the decimal point";
		}
		int minorUnits = minorUnits(currency);
		if (amount.scale() > minorUnits
				&& (amount.precision() > MAX_WRITTEN_DIGITS || amount.stripTrailingZeros().scale() > minorUnits)) {
			return "must have at most " + minorUnits + " digit" + ((minorUnits != 1) ? "s" : "")
					+ " after the decimal point" + ((currency != null) ? " in " + currency.getCurrencyCode() : "");
		}
		return null;
	}

	/**
	 * An amount as written in an error message: in plain digits when it is short, in
	 * scientific notation otherwise, never longer than about fifty characters.
	 * @param amount the amount
	 * @return for example {@code 12.50} or {@code 1E+10000000}
	 */
	public static String shown(BigDecimal amount) {
		int precision = amount.precision();
		if (precision <= MAX_WRITTEN_DIGITS && Math.abs((long) amount.scale()) <= MAX_WRITTEN_DIGITS) {
			return amount.toPlainString();
		}
		return (precision <= MAX_WRITTEN_DIGITS) ? amount.toString()
				: amount.round(new MathContext(8)) + "… (" + precision + " digits)";
	}

	/**
	 * Checks an amount of a contract record and drops its zeros beyond the currency's
	 * minor units.
	 * @param amount the amount
	 * @param currency its currency, or {@code null} where the record does not know it
	 * @param field the field, named in the error
	 * @return the amount, with at most the minor units as its scale
	 * @throws IllegalArgumentException if the amount is missing or breaks the rules
	 */
	public static BigDecimal checked(@Nullable BigDecimal amount, @Nullable Currency currency, String field) {
		BigDecimal given = Contract.required(amount, field);
		String problem = problem(given, currency);
		if (problem != null) {
			throw new IllegalArgumentException("'" + field + "' " + problem + ", was " + shown(given));
		}
		int minorUnits = minorUnits(currency);
		return (given.scale() > minorUnits) ? given.setScale(minorUnits, RoundingMode.UNNECESSARY) : given;
	}

}
