package io.ordersaga.order;

import io.ordersaga.order.core.OrderStatus;
import java.net.URI;
import java.util.UUID;

import io.ordersaga.order.view.OrderPage;
import io.ordersaga.order.view.OrderProjection;
import io.ordersaga.order.view.OrderView;
import io.ordersaga.support.security.CallerAccess;
import io.ordersaga.support.web.KafkaWaits;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The public API of order-service. Errors are RFC 9457 problem details. */
@RestController
@RequestMapping(path = "/orders", produces = MediaType.APPLICATION_JSON_VALUE)
class OrderController {

	/**
	 * Sent back with a replayed response, so a client can tell a retry from a new order.
	 */
	static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

	/**
	 * How deep into a customer's listing a page may reach: each page reads the listing's
	 * keys up to its own, so pages past the first ten thousand orders (of the customer,
	 * or of the customer in the status asked for) are refused rather than read.
	 */
	static final int MAX_LISTED = 10_000;

	private static final String RETRY_SHORTLY = "order-service cannot make sure it has read every order now; "
			+ "retry shortly.";

	private final OrderPlacement placement;

	private final OrderProjection projection;

	private final OrderProperties properties;

	private final KafkaWaits kafkaWaits;

	private final CallerAccess callers;

	OrderController(OrderPlacement placement, OrderProjection projection, OrderProperties properties,
			KafkaWaits kafkaWaits, CallerAccess callers) {
		this.kafkaWaits = kafkaWaits;
		this.callers = callers;
		this.placement = placement;
		this.projection = projection;
		this.properties = properties;
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<OrderView> place(@Valid @RequestBody PlaceOrderRequest request,
			@RequestHeader(name = "Idempotency-Key", required = false) @Size(min = 1, max = 255) @Pattern(
					regexp = "[\\x21-\\x7E]*",
					message = "must be printable ASCII without spaces") @Nullable String idempotencyKey) {
		this.callers.checkActsAs(request.customerId());
		OrderPlacement.Placement placement = this.placement.place(request, idempotencyKey);
		OrderView order = placement.order();
		return ResponseEntity.accepted()
			.location(URI.create("/orders/" + order.orderId()))
			.header(IDEMPOTENT_REPLAYED, String.valueOf(placement.replayed()))
			.body(order);
	}

	@GetMapping("/{orderId}")
	OrderView order(@PathVariable UUID orderId) {
		return this.kafkaWaits
			.waitFor(() -> this.projection.findAfterCatchingUp(orderId, this.properties.readYourWritesTimeout()),
					RETRY_SHORTLY)
			// Another customer's order is answered as one that does not exist.
			.filter((order) -> this.callers.maySee(order.customerId()))
			.orElseThrow(() -> new OrderNotFoundException(orderId));
	}

	@GetMapping
	OrderPage ordersOf(@RequestParam @Size(min = 1, max = 64) String customerId,
			@RequestParam(required = false) @Nullable OrderStatus status,
			@RequestParam(defaultValue = "0") @Min(0) int page,
			@RequestParam(defaultValue = "20") @Min(1) @Max(100) int size) {
		this.callers.checkMaySee(customerId);
		if ((long) page * size + size > MAX_LISTED) {
			ErrorResponseException tooDeep = new ErrorResponseException(HttpStatus.BAD_REQUEST);
			tooDeep.getBody().setTitle("Page too deep");
			tooDeep.getBody()
				.setDetail("A listing serves a customer's newest " + MAX_LISTED + " orders (page × size + size ≤ "
						+ MAX_LISTED + "); filter by status to reach older ones, or read an order by its id.");
			throw tooDeep;
		}
		return this.kafkaWaits.waitFor(
				() -> this.projection.ordersOf(customerId, status, page, size, this.properties.readYourWritesTimeout()),
				RETRY_SHORTLY);
	}

}
