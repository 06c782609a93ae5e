package io.ordersaga.support.streams;

/**
 * Thrown by a processor for a record that is to become a dead letter: one it cannot use
 * (not a valid event, the wrong key, an event that does not match what it knows), or one
 * the {@link ProcessingFailures} have given up on. Kafka Streams passes it to the
 * {@link StreamsErrorHandler}, which writes the record to its dead-letter topic, in the
 * same transaction as the offset that moves past it, and lets processing resume.
 */
public final class DeadLetterException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final RuntimeException reason;

	/**
	 * Creates the exception.
	 * @param reason why the record is a dead letter; its class, message and stack trace
	 * go into the dead letter's headers
	 */
	public DeadLetterException(RuntimeException reason) {
		super(reason.getMessage(), reason);
		this.reason = reason;
	}

	/**
	 * Why the record is a dead letter.
	 * @return the error the dead letter's headers describe
	 */
	public RuntimeException reason() {
		return this.reason;
	}

}
