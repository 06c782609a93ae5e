package io.ordersaga.events.kafka;

import org.apache.kafka.common.errors.SerializationException;
import org.jspecify.annotations.Nullable;

/**
 * A record that is not a valid event of this contract: not JSON, not a CloudEvent, an
 * unknown type token, a missing required field or a value of the wrong type. The message
 * says which; listeners send such records to the dead-letter topic.
 */
public class EventDeserializationException extends SerializationException {

	private static final long serialVersionUID = 1L;

	EventDeserializationException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
