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
			assertThatRuntimeException().isThrownBy(() -> failures.guard("saga", at(5), () -> {
				throw error;
			}, this.deadLetters::add));
		}
		failures.guard("saga", at(5), () -> {
			throw new AssertionError("not processed again");
		}, this.deadLetters::add);

		assertThat(this.deadLetters).containsExactly(error);
	}

	@Test
	void retriesAFailureThatCanPassForAsLongAsItLasts() {
		ProcessingFailures failures = new ProcessingFailures(2);

		for (int attempt = 0; attempt < 10; attempt++) {
			assertThatRuntimeException().isThrownBy(() -> failures.guard("saga", at(5), () -> {
				throw new TimeoutException("broker unavailable");
			}, this.deadLetters::add));
		}
		List<String> processed = new ArrayList<>();
		failures.guard("saga", at(5), () -> processed.add("done"), this.deadLetters::add);

		assertThat(processed).containsExactly("done");
		assertThat(this.deadLetters).isEmpty();
	}

	@Test
	void deadLettersARecordWhoseOutputCouldNotBeWrittenAtItsNextReading() {
		ProcessingFailures failures = new ProcessingFailures(3);
		RecordTooLargeException tooLarge = new RecordTooLargeException("too large");

		failures.outputFailed("orders", 1, 5, tooLarge);
		assertThat(failures.isBeingDeadLettered("orders", 1, 5)).isFalse();
		failures.guard("saga", at(5), () -> {
			throw new AssertionError("not processed again");
		}, this.deadLetters::add);

		assertThat(this.deadLetters).containsExactly(tooLarge);
		assertThat(failures.isBeingDeadLettered("orders", 1, 5)).isTrue();
	}

	@Test
	void remembersABoundedNumberOfRecords() {
		ProcessingFailures failures = new ProcessingFailures(1);
		for (int offset = 0; offset <= ProcessingFailures.REMEMBERED; offset++) {
			failures.outputFailed("orders", 1, offset, new IllegalStateException("failed"));
		}
		List<String> processed = new ArrayList<>();

		failures.guard("saga", at(0), () -> processed.add("the oldest, forgotten"), this.deadLetters::add);
		failures.guard("saga", at(ProcessingFailures.REMEMBERED), () -> processed.add("the newest"),
				this.deadLetters::add);

		assertThat(processed).containsExactly("the oldest, forgotten");
		assertThat(this.deadLetters).hasSize(1);
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
