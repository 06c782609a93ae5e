package io.ordersaga.payment.account;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The JSON form of {@link AccountCommand}s on payment-service's command topic. */
public final class AccountCommands {

	private static final JsonMapper JSON = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
		.build();

	private AccountCommands() {
	}

	public static byte[] write(AccountCommand command) {
		return JSON.writeValueAsBytes(command);
	}

	public static AccountCommand read(byte[] json) {
		return JSON.readValue(json, AccountCommand.class);
	}

}
