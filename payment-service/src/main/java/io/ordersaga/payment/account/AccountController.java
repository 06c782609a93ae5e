package io.ordersaga.payment.account;

import java.net.URI;

import io.ordersaga.support.security.CallerAccess;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The accounts API of payment-service. Errors are RFC 9457 problem details. */
@RestController
@RequestMapping(path = "/accounts", produces = MediaType.APPLICATION_JSON_VALUE)
class AccountController {

	private static final String CUSTOMER_ID = AccountCommand.CUSTOMER_ID_CHARACTER + "*";

	private final AccountView view;

	private final AccountService accounts;

	private final CallerAccess callers;

	AccountController(AccountView view, AccountService accounts, CallerAccess callers) {
		this.view = view;
		this.accounts = accounts;
		this.callers = callers;
	}

	@GetMapping("/{customerId}")
	Account account(@PathVariable @Size(min = 1, max = 64) @Pattern(regexp = CUSTOMER_ID) String customerId) {
		this.callers.checkMaySee(customerId);
		return this.view.find(customerId).orElseThrow(() -> {
			ErrorResponseException ex = new ErrorResponseException(HttpStatus.NOT_FOUND);
			ex.getBody().setTitle("Account not found");
			ex.getBody().setDetail("There is no account for customer " + customerId + ".");
			return ex;
		});
	}

	@PostMapping(path = "/{customerId}/credits", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Account> credit(
			@PathVariable @Size(min = 1, max = 64) @Pattern(regexp = CUSTOMER_ID,
					message = "must contain only letters, digits, '.', '_' or '-'") String customerId,
			@Valid @RequestBody CreditRequest request,
			@RequestHeader(name = "Idempotency-Key", required = false) @Size(min = 1, max = 255) @Pattern(
					regexp = "[\\x21-\\x7E]*",
					message = "must be printable ASCII without spaces") @Nullable String idempotencyKey) {
		AccountService.Credited credited = this.accounts.credit(customerId, request, idempotencyKey);
		return ResponseEntity.status(credited.visible() ? HttpStatus.OK : HttpStatus.ACCEPTED)
			.location(URI.create("/accounts/" + customerId))
			.header("Idempotent-Replayed", String.valueOf(credited.replayed()))
			.body(credited.account());
	}

}
