package io.ordersaga.events.kafka;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

import org.jspecify.annotations.Nullable;

/**
 * Reads and writes instants as RFC 3339 text exactly as {@link Instant#parse} and
 * {@link Instant#toString} do, only faster for the one form this project writes
 * ({@code 2026-12-01T10:15:30.123456Z}): the JDK goes through a general
 * {@code DateTimeFormatter} for each call, which was payment-service's busiest code at
 * saturation when every charge rewrote an account with the times of its last movements
 * (every event carries a time too).
 *
 * <p>
 * Any text outside the fast path (an offset instead of {@code Z}, a leap second, a year
 * past 9999, an invalid date) is handed to the JDK, so what is accepted, what is refused
 * and the value read are the JDK's.
 */
public final class Timestamps {

	private static final int SECONDS_PER_DAY = 86_400;

	/** The shortest fast-path text, {@code yyyy-MM-ddTHH:mm:ssZ}. */
	private static final int WITHOUT_FRACTION = 20;

	private Timestamps() {
	}

	/**
	 * Reads an instant, as {@link Instant#parse} would.
	 * @param text RFC 3339 text
	 * @return the instant
	 * @throws DateTimeParseException if the text is not an instant
	 */
	public static Instant parse(String text) {
		Instant fast = parseIfCanonical(text);
		return (fast != null) ? fast : Instant.parse(text);
	}

	/**
	 * Writes an instant, as {@link Instant#toString} would: the fraction of a second in
	 * groups of three digits, none when it is zero.
	 * @param instant the instant
	 * @return RFC 3339 text in UTC
	 */
	public static String format(Instant instant) {
		long days = Math.floorDiv(instant.getEpochSecond(), SECONDS_PER_DAY);
		LocalDate date = LocalDate.ofEpochDay(days);
		if (date.getYear() < 0 || date.getYear() > 9999) {
			return instant.toString();
		}
		int secondOfDay = (int) Math.floorMod(instant.getEpochSecond(), SECONDS_PER_DAY);
		int nano = instant.getNano();
		int width = fractionDigits(nano);
		char[] text = new char[WITHOUT_FRACTION + ((width > 0) ? width + 1 : 0)];
		digits(text, 0, date.getYear(), 4);
		text[4] = '-';
		digits(text, 5, date.getMonthValue(), 2);
		text[7] = '-';
		digits(text, 8, date.getDayOfMonth(), 2);
		text[10] = 'T';
		digits(text, 11, secondOfDay / 3600, 2);
		text[13] = ':';
		digits(text, 14, secondOfDay / 60 % 60, 2);
		text[16] = ':';
		digits(text, 17, secondOfDay % 60, 2);
		int end = 19;
		if (width > 0) {
			text[end++] = '.';
			digits(text, end, nano / pow10(9 - width), width);
			end += width;
		}
		text[end] = 'Z';
		return new String(text);
	}

	/** 3, 6 or 9: the fewest groups of three digits that show a fraction exactly. */
	private static int fractionDigits(int nano) {
		if (nano == 0) {
			return 0;
		}
		if (nano % 1_000_000 == 0) {
			return 3;
		}
		return (nano % 1_000 == 0) ? 6 : 9;
	}

	/**
	 * Reads the one form this project writes, {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} with
	 * a valid date, hours 0 to 23 and seconds 0 to 59; for a reader that falls back to
	 * its own parsing of any other text.
	 * @param text the text
	 * @return the instant, as {@link Instant#parse} reads it, or {@code null} for any
	 * other text
	 */
	public static @Nullable Instant parseIfCanonical(String text) {
		int length = text.length();
		if (length < WITHOUT_FRACTION || length > WITHOUT_FRACTION + 10 || text.charAt(length - 1) != 'Z'
				|| text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T' || text.charAt(13) != ':'
				|| text.charAt(16) != ':') {
			return null;
		}
		int year = number(text, 0, 4);
		int month = number(text, 5, 2);
		int day = number(text, 8, 2);
		int hour = number(text, 11, 2);
		int minute = number(text, 14, 2);
		int second = number(text, 17, 2);
		int nano = fraction(text, 19, length - 1);
		if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
				|| second < 0 || second > 59 || nano < 0) {
			return null;
		}
		LocalDate date = LocalDate.of(year, month, 1);
		if (day > date.lengthOfMonth()) {
			return null;
		}
		long epochSecond = (date.toEpochDay() + day - 1) * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second;
		return Instant.ofEpochSecond(epochSecond, nano);
	}

	/**
	 * The decimal number in {@code text[from, from + width)}, or -1 if not all digits.
	 */
	private static int number(String text, int from, int width) {
		int value = 0;
		for (int i = from; i < from + width; i++) {
			int digit = text.charAt(i) - '0';
			if (digit < 0 || digit > 9) {
				return -1;
			}
			value = value * 10 + digit;
		}
		return value;
	}

	/**
	 * The nanoseconds of {@code text[from, end)}: nothing, or a dot and 1 to 9 digits.
	 * @return the nanoseconds, or -1 for anything else
	 */
	private static int fraction(String text, int from, int end) {
		if (from == end) {
			return 0;
		}
		int width = end - from - 1;
		if (text.charAt(from) != '.' || width < 1) {
			return -1;
		}
		int value = number(text, from + 1, width);
		return (value < 0) ? -1 : value * pow10(9 - width);
	}

	private static int pow10(int exponent) {
		int value = 1;
		for (int i = 0; i < exponent; i++) {
			value *= 10;
		}
		return value;
	}

	private static void digits(char[] text, int from, int value, int width) {
		for (int i = from + width - 1; i >= from; i--) {
			text[i] = (char) ('0' + value % 10);
			value /= 10;
		}
	}

}
