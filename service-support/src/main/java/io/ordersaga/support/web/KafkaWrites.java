package io.ordersaga.support.web;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.kafka.common.KafkaException;

import org.springframework.kafka.support.SendResult;

/**
 * Waits for the broker to acknowledge a write made while answering a request, and turns
 * any failure to do so — broker unreachable, metadata or delivery time-out — into a
 * {@link BrokerUnavailableException} (503), whichever layer raised it.
 */
public final class KafkaWrites {

	private KafkaWrites() {
	}

	/**
	 * Sends and waits for the acknowledgement.
	 * @param <K> the key type
	 * @param <V> the value type
	 * @param send starts the write, for example {@code () -> template.send(...)}
	 * @param timeout how long to wait for the acknowledgement
	 * @param whenUnavailable what the client is told when it does not come
	 * @return the acknowledged write
	 */
	public static <K, V> SendResult<K, V> acknowledged(Supplier<CompletableFuture<SendResult<K, V>>> send,
			Duration timeout, String whenUnavailable) {
		try {
			return send.get().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BrokerUnavailableException(whenUnavailable, ex);
		}
		catch (ExecutionException | TimeoutException | KafkaException | org.springframework.kafka.KafkaException ex) {
			throw new BrokerUnavailableException(whenUnavailable, ex);
		}
	}

}
