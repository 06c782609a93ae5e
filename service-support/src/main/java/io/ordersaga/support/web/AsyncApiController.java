package io.ordersaga.support.web;

import java.util.Optional;

import io.ordersaga.events.AsyncApi;
import io.ordersaga.events.KafkaAccess;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The service's part of the suite's AsyncAPI document at {@code GET /asyncapi}: the
 * topics it sends on and receives from, their events with their JSON Schemas, key and
 * headers, as {@link AsyncApi} generates them from the code. Open in both modes, as the
 * REST API's own documentation is.
 */
@RestController
public class AsyncApiController {

	/** Where the document is served. */
	public static final String PATH = "/asyncapi";

	private final String service;

	/** Made on the first request, not on every start of the service. */
	private final SingletonSupplier<Optional<String>> document;

	/**
	 * Serves a service's part.
	 * @param service the service's name ({@code spring.application.name})
	 */
	public AsyncApiController(String service) {
		this.service = service;
		this.document = SingletonSupplier.of(() -> KafkaAccess.principals().contains(service)
				? Optional.of(AsyncApi.text(AsyncApi.ownedBy(service))) : Optional.empty());
	}

	@GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<?> asyncApi() {
		Optional<String> document = this.document.obtain();
		if (document.isEmpty()) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
					this.service + " sends and receives no events of the suite.");
			return ResponseEntity.status(HttpStatus.NOT_FOUND)
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.body(problem);
		}
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(document.get());
	}

}
