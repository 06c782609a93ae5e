package io.ordersaga.support.web;

import io.ordersaga.events.AsyncApi;
import io.ordersaga.events.KafkaAccess;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The service's part of the suite's AsyncAPI document at {@code GET /asyncapi}: the
 * topics it sends on and receives from, their events with their JSON Schemas, key and
 * headers, as {@link AsyncApi} generates them from the code. Open in both modes, as the
 * REST API's own documentation is.
 */
@RestController
class AsyncApiController {

	/** Where the document is served. */
	static final String PATH = "/asyncapi";

	private final String service;

	private final @Nullable String document;

	/**
	 * Serves a service's part.
	 * @param service the service's name ({@code spring.application.name})
	 */
	AsyncApiController(String service) {
		this.service = service;
		this.document = KafkaAccess.principals().contains(service) ? AsyncApi.text(AsyncApi.ownedBy(service)) : null;
	}

	@GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<?> asyncApi() {
		if (this.document == null) {
			ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
					this.service + " sends and receives no events of the suite.");
			return ResponseEntity.status(HttpStatus.NOT_FOUND)
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.body(problem);
		}
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(this.document);
	}

}
