package io.ordersaga.load;

/**
 * The suite the command line names does not answer: not started, or another address
 * meant. Its message is for the person at the command line and says what to do.
 */
final class SuiteUnreachableException extends RuntimeException {

	SuiteUnreachableException(String message, Throwable cause) {
		super(message, cause);
	}

	SuiteUnreachableException(String message) {
		super(message);
	}

}
