package io.ordersaga.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why payment-service declined a payment. On the wire it is a plain string code. The set
 * is open: a consumer must accept codes it does not know.
 *
 * @param code an upper-case code such as {@code INSUFFICIENT_FUNDS}
 */
public record DeclineReason(@JsonValue String code) {

	/** The balance does not cover the amount. */
	public static final DeclineReason INSUFFICIENT_FUNDS = new DeclineReason("INSUFFICIENT_FUNDS");

	/** There is no account for the customer. */
	public static final DeclineReason UNKNOWN_CUSTOMER = new DeclineReason("UNKNOWN_CUSTOMER");

	/** The account is kept in another currency than the order's. */
	public static final DeclineReason CURRENCY_MISMATCH = new DeclineReason("CURRENCY_MISMATCH");

	public DeclineReason {
		Contract.reasonCode(code);
	}

	@JsonCreator
	public static DeclineReason of(String code) {
		return new DeclineReason(code);
	}

	@Override
	public String toString() {
		return this.code;
	}

}
