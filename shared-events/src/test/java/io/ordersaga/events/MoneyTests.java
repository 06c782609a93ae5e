package io.ordersaga.events;

import java.math.BigDecimal;
import java.util.Currency;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MoneyTests {

	private static final Currency EUR = Currency.getInstance("EUR");

	private static final Currency JPY = Currency.getInstance("JPY");

	private static final Currency BHD = Currency.getInstance("BHD");

	@Test
	void acceptsAmountsWithinTheCurrencysMinorUnits() {
		assertThat(Money.problem(new BigDecimal("12.50"), EUR)).isNull();
		assertThat(Money.problem(new BigDecimal("1200"), JPY)).isNull();
		assertThat(Money.problem(new BigDecimal("1.125"), BHD)).isNull();
		assertThat(Money.problem(new BigDecimal("999999999999999999.99"), EUR)).isNull();
		assertThat(Money.problem(new BigDecimal("1E+17"), EUR)).isNull();
	}

	@Test
	void refusesWhatIsNotMoney() {
		assertThat(Money.problem(new BigDecimal("0.00"), EUR)).isEqualTo("must be positive");
		assertThat(Money.problem(new BigDecimal("1000000000000000000"), EUR))
			.isEqualTo("must have at most 18 digits before the decimal point");
		assertThat(Money.problem(new BigDecimal("1E+10000000"), EUR))
			.isEqualTo("must have at most 18 digits before the decimal point");
		assertThat(Money.problem(new BigDecimal("12.345"), EUR))
			.isEqualTo("must have at most 2 digits after the decimal point in EUR");
		assertThat(Money.problem(new BigDecimal("12.5"), JPY))
			.isEqualTo("must have at most 0 digits after the decimal point in JPY");
		assertThat(Money.problem(new BigDecimal("1E-10000000"), null))
			.isEqualTo("must have at most 4 digits after the decimal point");
	}

	@Test
	void takesTheMostMinorUnitsOfAnyCurrencyForOneWithoutThem() {
		assertThat(Money.minorUnits(Currency.getInstance("XAU"))).isEqualTo(4);
		assertThat(Money.problem(new BigDecimal("0.0001"), Currency.getInstance("XAU"))).isNull();
	}

	@Test
	void dropsZerosBeyondTheMinorUnitsAndKeepsTheRest() {
		assertThat(Money.checked(new BigDecimal("12.500000"), EUR, "total")).isEqualTo(new BigDecimal("12.50"));
		assertThat(Money.checked(new BigDecimal("12.5"), EUR, "total")).isEqualTo(new BigDecimal("12.5"));
		assertThat(Money.checked(new BigDecimal("1E+1"), EUR, "total")).isEqualTo(new BigDecimal("1E+1"));
	}

	@Test
	void namesTheFieldAndShowsAnAbsurdAmountShortly() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Money.checked(new BigDecimal("-1E+10000000"), EUR, "amount"))
			.withMessage("'amount' must be positive, was -1E+10000000");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Money.checked(new BigDecimal("1" + "0".repeat(5000)), EUR, "amount"))
			.withMessage(
					"'amount' must have at most 18 digits before the decimal point, was 1.0000000E+5000… (5001 digits)");
	}

	@Test
	void recordsCheckTheirAmountsAgainstTheirCurrency() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PaymentAuthorized("alice", new BigDecimal("12.50"), JPY))
			.withMessage("'amount' must have at most 0 digits after the decimal point in JPY, was 12.50");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> OrderPlaced.of("alice", JPY,
					java.util.List.of(new LineItem("A", 1, new BigDecimal("100")),
							new LineItem("B", 1, new BigDecimal("0.5")))))
			.withMessage("'items[1].unitPrice' must have at most 0 digits after the decimal point in JPY, was 0.5");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> OrderPlaced.of("alice", EUR,
					java.util.List.of(new LineItem("A", Integer.MAX_VALUE, new BigDecimal("999999999999999999")))))
			.withMessageStartingWith("'total' must have at most 18 digits before the decimal point");
	}

}
