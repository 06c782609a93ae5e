package io.ordersaga.support.streams;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;

class ProcessingFailuresTests {

	private final List<RuntimeException> deadLetters = new ArrayList<>();

	@Test
	void tellsFailuresThatCanPassFromThoseThatWillHappenAgain() {
		assertThat(ProcessingFailures.canPass(new TimeoutException("broker slow"))).isTrue();
		assertThat(ProcessingFailures.canPass(new StreamsException(new TimeoutException("broker slow")))).isTrue();
		assertThat(ProcessingFailures.canPass(new StreamsException(new RecordTooLargeException("too large"))))
			.isFalse();
		assertThat(ProcessingFailures.canPass(new StreamsException(new SerializationException("illegal scale"))))
			.isFalse();
		assertThat(ProcessingFailures.canPass(new IllegalStateException("a bug"))).isFalse();
	}

	@Test
	void deadLettersARecordWhoseKafkaErrorWillHappenAgain() {
		ProcessingFailures failures = new ProcessingFailures(2);
		RuntimeException error = new StreamsException("Error encountered sending record",
				new SerializationException("illegal scale"));

		for (int attempt = 0; attempt < 2; attempt++) {
			assertThatRuntimeException().isThrownBy(() -> guard(failures, "saga", at(5), () -> {
				throw error;
			}));
		}
		guard(failures, "saga", at(5), () -> {
			throw new AssertionError("not processed again");
		});

		assertThat(this.deadLetters).containsExactly(error);
	}

	@Test
	void retriesAFailureThatCanPassForAsLongAsItLasts() {
		ProcessingFailures failures = new ProcessingFailures(2);

		for (int attempt = 0; attempt < 10; attempt++) {
			assertThatRuntimeException().isThrownBy(() -> guard(failures, "saga", at(5), () -> {
				throw new TimeoutException("broker unavailable");
			}));
		}
		List<String> processed = new ArrayList<>();
		guard(failures, "saga", at(5), () -> processed.add("done"));

		assertThat(processed).containsExactly("done");
		assertThat(this.deadLetters).isEmpty();
	}

	@Test
	void deadLettersARecordWhoseOutputCouldNotBeWrittenAtItsNextReading() {
		ProcessingFailures failures = new ProcessingFailures(3);
		RecordTooLargeException tooLarge = new RecordTooLargeException("too large");

		failures.outputFailed("orders", 1, 5, tooLarge);
		assertThat(failures.isBeingDeadLettered("orders", 1, 5)).isFalse();
		guard(failures, "saga", at(5), () -> {
			throw new AssertionError("not processed again");
		});

		assertThat(this.deadLetters).containsExactly(tooLarge);
		// Once Kafka Streams' handler has the dead letter:
		failures.deadLettering("orders", 1, 5);
		assertThat(failures.isBeingDeadLettered("orders", 1, 5)).isTrue();
	}

	@Test
	void remembersABoundedNumberOfRecords() {
		ProcessingFailures failures = new ProcessingFailures(1);
		for (int offset = 0; offset <= ProcessingFailures.REMEMBERED; offset++) {
			failures.outputFailed("orders", 1, offset, new IllegalStateException("failed"));
		}
		List<String> processed = new ArrayList<>();

		guard(failures, "saga", at(0), () -> processed.add("the oldest, forgotten"));
		guard(failures, "saga", at(ProcessingFailures.REMEMBERED), () -> processed.add("the newest"));

		assertThat(processed).containsExactly("the oldest, forgotten");
		assertThat(this.deadLetters).hasSize(1);
	}

	@Test
	void doesNotCountARecordTheProcessorRejects() {
		ProcessingFailures failures = new ProcessingFailures(1);
		DeadLetterException rejected = new DeadLetterException(new IllegalArgumentException("not an event"));

		assertThatRuntimeException().isThrownBy(() -> failures.guard("saga", at(5), () -> {
			throw rejected;
		})).isSameAs(rejected);
		List<String> processed = new ArrayList<>();
		guard(failures, "saga", at(5), () -> processed.add("read again"));

		assertThat(processed).containsExactly("read again");
	}

	@Test
	void saysWhereDeadLettersGoAndCountsThem() {
		List<String> counted = new ArrayList<>();
		ProcessingFailures failures = new ProcessingFailures(1, (topic) -> topic + ".dead", counted::add);

		failures.deadLettering("orders", 1, 5);

		assertThat(failures.deadLetterTopic("orders")).isEqualTo("orders.dead");
		assertThat(counted).containsExactly("orders");
		assertThat(new ProcessingFailures(1).deadLetterTopic("payments")).isEqualTo("payments-dlt");
	}

	/** Runs {@code guard}, keeping the error of a record it makes a dead letter. */
	private void guard(ProcessingFailures failures, String processor, RecordMetadata metadata, Runnable process) {
		try {
			failures.guard(processor, metadata, process);
		}
		catch (DeadLetterException ex) {
			this.deadLetters.add(ex.reason());
		}
	}

	private static RecordMetadata at(long offset) {
		return new RecordMetadata() {

			@Override
			public String topic() {
				return "orders";
			}

			@Override
			public int partition() {
				return 1;
			}

			@Override
			public long offset() {
				return offset;
			}

		};
	}

}
