package io.ordersaga.events.kafka;

import java.math.BigDecimal;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.ordersaga.events.ContractFiles;
import io.ordersaga.events.EventType;
import io.ordersaga.events.OrderCancelled;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.kafka.SampleMutations.Mutation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The direct binding of payloads reads what Jackson's data binding reads, and leaves
 * everything else to it.
 */
class PayloadBinderTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final EventCodec codec = EventCodec.instance();

	static Stream<String> samples() {
		return ContractFiles.jsonFiles(ContractFiles.SAMPLES).stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("samples")
	void bindsEverySampleOfTheContractAsJacksonDoes(String sample) {
		JsonNode document = JSON.readTree(ContractFiles.read(ContractFiles.SAMPLES + "/" + sample));
		Class<?> type = EventType.forToken(document.get("type").stringValue()).orElseThrow().payloadType();

		Object bound = PayloadBinder.bind(document.get("data"), type);

		assertThat(bound).isNotNull().isEqualTo(this.codec.bindWithJackson(document.get("data"), type));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource({ "io.ordersaga.events.kafka.SampleMutations#wrongValues",
			"io.ordersaga.events.kafka.SampleMutations#missingOptionalFields" })
	void bindsABrokenSampleOnlyWhereJacksonBindsItTheSameWay(Mutation mutation) {
		JsonNode data = mutation.document().get("data");
		if (data == null || !data.isObject()) {
			return;
		}
		Class<?> type = mutation.type().payloadType();

		Object bound = PayloadBinder.bind(data, type);

		if (bound != null) {
			assertThat(bound).isEqualTo(this.codec.bindWithJackson(data, type));
		}
	}

	@Test
	void leavesToJacksonEveryAmountNotWrittenAsPlainDigits() {
		for (String amount : new String[] { "1E+1", "+25.00", " 25.00", "25.", ".5", "0x19", "25,00", "" }) {
			assertThat(PayloadBinder.bind(cancelled((data) -> data.put("total", amount)), OrderCancelled.class))
				.as(amount)
				.isNull();
		}
		ObjectNode number = cancelled((data) -> data.put("total", new BigDecimal("25.00")));
		assertThat(PayloadBinder.bind(number, OrderCancelled.class)).isNull();
		assertThat(this.codec.bindWithJackson(number, OrderCancelled.class).total()).isEqualByComparingTo("25");
	}

	@Test
	void leavesToJacksonWhatTheRecordRefusesOrJacksonWouldConvert() {
		assertThat(PayloadBinder.bind(cancelled((data) -> data.put("reason", "not a code")), OrderCancelled.class))
			.isNull();
		assertThat(PayloadBinder.bind(cancelled((data) -> data.put("currency", "eur")), OrderCancelled.class)).isNull();
		assertThat(PayloadBinder.bind(cancelled((data) -> data.put("customerId", 42)), OrderCancelled.class)).isNull();
		assertThat(PayloadBinder.bind(cancelled((data) -> data.put("total", "-1.00")), OrderCancelled.class)).isNull();
		assertThatCode(() -> PayloadBinder.bind(JSON.createObjectNode(), OrderPlaced.class)).doesNotThrowAnyException();
		assertThat(PayloadBinder.bind(JSON.createObjectNode(), OrderPlaced.class)).isNull();
	}

	private static ObjectNode cancelled(Consumer<ObjectNode> change) {
		ObjectNode data = JSON.createObjectNode()
			.put("customerId", "alice")
			.put("reason", "PAYMENT_TIMEOUT")
			.put("total", "25.00")
			.put("currency", "EUR");
		assertThat(PayloadBinder.bind(data, OrderCancelled.class)).isNotNull();
		change.accept(data);
		return data;
	}

}
