package io.ordersaga.events.kafka;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Currency;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import io.ordersaga.events.CancellationReason;
import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.LineItem;
import io.ordersaga.events.OrderCancelled;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.kafka.SampleMutations.Mutation;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EventCodecTests {

	private static final Currency EUR = Currency.getInstance("EUR");

	private final EventCodec codec = EventCodec.instance();

	private final EventEnvelope<OrderPlaced> placed = EventEnvelope.first("/order-service", UUID.randomUUID(),
			OrderPlaced.of("alice", EUR, List.of(new LineItem("BOOK-1", 2, new BigDecimal("12.50")))));

	@Test
	void writesAmountsAsExactStrings() {
		JsonNode data = this.codec.toTree(this.placed).get("data");

		assertThat(data.get("total").stringValue()).isEqualTo("25.00");
		assertThat(data.get("items").get(0).get("unitPrice").stringValue()).isEqualTo("12.50");
	}

	@Test
	void writesAnAmountGivenWithAnExponentInPlainDigits() {
		// A client may send 1E+1 for 10 (a JSON number): the contract's amounts are
		// digits with an optional fraction, which every language reads exactly.
		EventEnvelope<OrderPlaced> order = EventEnvelope.first("/order-service", UUID.randomUUID(),
				OrderPlaced.of("alice", EUR, List.of(new LineItem("BOOK-1", 1, new BigDecimal("1E+1")))));

		JsonNode item = this.codec.toTree(order).get("data").get("items").get(0);

		assertThat(item.get("unitPrice").stringValue()).isEqualTo("10");
	}

	@Test
	void writesTheTypeTokenNeverAJavaClassName() {
		String json = new String(this.codec.encode(this.placed), StandardCharsets.UTF_8);

		assertThat(json).contains("\"type\":\"OrderPlaced\"").doesNotContain("io.ordersaga");
	}

	@Test
	void readsWhatItWrites() {
		assertThat(this.codec.decode("orders", this.codec.encode(this.placed))).isEqualTo(this.placed);
	}

	@Test
	void keepsTheCausalChainFromOneEventToTheNext() {
		EventEnvelope<OrderCancelled> cancelled = this.placed.causes("/order-service",
				new OrderCancelled("alice", CancellationReason.PAYMENT_TIMEOUT, new BigDecimal("25.00"), EUR));

		assertThat(cancelled.orderId()).isEqualTo(this.placed.orderId());
		assertThat(cancelled.correlationId()).isEqualTo(this.placed.correlationId());
		assertThat(cancelled.causationId()).isEqualTo(this.placed.id());
		assertThat(cancelled.id()).isNotEqualTo(this.placed.id());
		assertThat(cancelled.topicName()).isEqualTo("orders");
		assertThat(cancelled.key()).isEqualTo(this.placed.orderId().toString());
	}

	@Test
	void ignoresAttributesAndFieldsItDoesNotKnow() {
		byte[] json = modified((root) -> {
			root.put("tenant", "eu");
			((ObjectNode) root.get("data")).put("couponCode", "WINTER");
		});

		assertThat(this.codec.decode("orders", json)).isEqualTo(this.placed);
	}

	@Test
	void acceptsReasonCodesItDoesNotKnow() {
		EventEnvelope<OrderCancelled> cancelled = this.placed.causes("/order-service",
				new OrderCancelled("alice", CancellationReason.of("FRAUD_SUSPECTED"), new BigDecimal("25.00"), EUR));

		assertThat(this.codec.decode("orders", this.codec.encode(cancelled))).isEqualTo(cancelled);
	}

	@Test
	void rejectsSomethingThatIsNotJson() {
		assertInvalid("orders", "not json {".getBytes(StandardCharsets.UTF_8), "topic 'orders'", "not valid JSON");
	}

	@Test
	void rejectsJsonThatIsNotAnObject() {
		assertInvalid("orders", "[1,2]".getBytes(StandardCharsets.UTF_8), "not a JSON object");
	}

	@Test
	void rejectsAnUnknownTypeToken() {
		assertInvalid("orders", modified((root) -> root.put("type", "OrderShipped")),
				"unknown event type 'OrderShipped'", "OrderPlaced");
	}

	@Test
	void rejectsAJavaClassNameAsTypeToken() {
		assertInvalid("orders", modified((root) -> root.put("type", OrderPlaced.class.getName())),
				"unknown event type 'io.ordersaga.events.OrderPlaced'");
	}

	@Test
	void rejectsAnEventOnATopicThatDoesNotCarryIt() {
		assertInvalid("payments", this.codec.encode(this.placed), "OrderPlaced does not belong on topic 'payments'");
	}

	@Test
	void rejectsAMissingAttribute() {
		assertInvalid("orders", modified((root) -> root.remove("subject")), "missing required attribute 'subject'");
	}

	@Test
	void rejectsAMalformedAttribute() {
		assertInvalid("orders", modified((root) -> root.put("id", "42")), "attribute 'id' must be a UUID");
		assertInvalid("orders", modified((root) -> root.put("id", "1-2-3-4-5")), "attribute 'id' must be a UUID");
		assertInvalid("orders", modified((root) -> root.put("datacontenttype", "text/plain")),
				"attribute 'datacontenttype' must be 'application/json', was 'text/plain'");
		assertInvalid("orders", modified((root) -> root.put("time", "yesterday")), "attribute 'time'");
		assertInvalid("orders", modified((root) -> root.put("schemaversion", "1")),
				"attribute 'schemaversion' must be an integer");
	}

	@Test
	void namesEveryMissingRequiredField() {
		byte[] json = modified((root) -> {
			ObjectNode data = (ObjectNode) root.get("data");
			data.remove("customerId");
			((ObjectNode) data.get("items").get(0)).remove("quantity");
		});

		assertInvalid("orders", json,
				"OrderPlaced v2: missing required fields 'data.customerId', 'data.items[0].quantity'");
	}

	@Test
	void rejectsAnExplicitNullForARequiredField() {
		assertInvalid("orders", modified((root) -> ((ObjectNode) root.get("data")).putNull("currency")),
				"missing required field 'data.currency'");
	}

	@Test
	void rejectsValuesOfTheWrongType() {
		assertInvalid("orders", modified((root) -> item(root).put("quantity", "two")), "'data.items[0].quantity'");
		assertInvalid("orders", modified((root) -> item(root).put("quantity", "2")), "'data.items[0].quantity'");
		assertInvalid("orders", modified((root) -> item(root).put("quantity", 2.5)), "'data.items[0].quantity'");
		assertInvalid("orders", modified((root) -> ((ObjectNode) root.get("data")).put("customerId", 42)),
				"'data.customerId'");
		assertInvalid("orders", modified((root) -> ((ObjectNode) root.get("data")).put("items", "BOOK-1")),
				"'data.items'");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("io.ordersaga.events.kafka.SampleMutations#missingRequiredFields")
	void namesTheFieldWhenAnySampleLacksARequiredOne(Mutation mutation) {
		assertInvalid(mutation, "missing required", "'" + mutation.field() + "'");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("io.ordersaga.events.kafka.SampleMutations#missingOptionalFields")
	void readsAnySampleWithoutOneOfItsOptionalFields(Mutation mutation) {
		assertThat(this.codec.decode(mutation.topic(), mutation.json()).type()).isEqualTo(mutation.type());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("io.ordersaga.events.kafka.SampleMutations#wrongValues")
	void namesTheFieldWhenAnySampleHasAValueOfTheWrongType(Mutation mutation) {
		assertInvalid(mutation, "'" + mutation.field() + "'");
	}

	@Test
	void rejectsAnEventThatBreaksTheContractsRules() {
		assertInvalid("orders", modified((root) -> ((ObjectNode) root.get("data")).put("total", "99.00")),
				"'total' must equal the sum of the items, 25.00, was 99.00");
		assertInvalid("orders", modified((root) -> ((ObjectNode) root.get("data")).put("currency", "EURO")),
				"OrderPlaced v2");
		assertInvalid("orders", modified((root) -> item(root).put("unitPrice", "-1")),
				"wrong value at 'data.items[0].unitPrice': must be positive, was -1");
	}

	@Test
	void refusesAmountsBeyondTheMoneyRulesNamingTheField() {
		assertInvalid("orders", modified((root) -> item(root).put("unitPrice", "1E+10000000")),
				"wrong value at 'data.items[0].unitPrice': must have at most 18 digits before the decimal point, "
						+ "was 1E+10000000");
		assertInvalid("orders", modified((root) -> item(root).put("unitPrice", new BigDecimal("1E+10000000"))),
				"'data.items[0].unitPrice'");
		assertInvalid("orders", modified((root) -> ((ObjectNode) root.get("data")).put("total", "1E-10000000")),
				"wrong value at 'data.total': must have at most 2 digits after the decimal point in EUR");
		assertInvalid("orders", modified((root) -> item(root).put("unitPrice", "12.345")),
				"wrong value at 'data.items[0].unitPrice': must have at most 2 digits after the decimal point in EUR, "
						+ "was 12.345");
		assertInvalid("orders", modified((root) -> ((ObjectNode) root.get("data")).put("currency", "JPY")),
				"wrong value at 'data.items[0].unitPrice': must have at most 0 digits after the decimal point in JPY");
	}

	@Test
	void refusesAnAmountWrittenWithManyDigitsByItsLengthWithoutReadingIt() {
		// BigDecimal takes seconds to read a million digits; the value's length is
		// enough to refuse it.
		String digits = "1" + "0".repeat(60_000);

		assertInvalid("orders", modified((root) -> item(root).put("unitPrice", digits)),
				"wrong value at 'data.items[0].unitPrice': an amount has at most 64 characters, this one 60001");
	}

	@Test
	void readsAnAmountWithZerosBeyondTheCurrencysMinorUnitsAsTheAmountWithout() {
		byte[] json = modified((root) -> {
			item(root).put("unitPrice", "12.50000");
			((ObjectNode) root.get("data")).put("total", "25.0000000");
		});

		OrderPlaced read = (OrderPlaced) this.codec.decode("orders", json).data();

		assertThat(read.items().get(0).unitPrice()).isEqualTo(new BigDecimal("12.50"));
		assertThat(read.total()).isEqualTo(new BigDecimal("25.00"));
	}

	@Test
	void refusesAValueLargerThanAnEventMayBeBeforeParsingIt() {
		byte[] large = new byte[EventCodec.MAX_EVENT_BYTES + 1];

		assertInvalid("Too large", "orders", large,
				"the value is 65537 bytes, more than the 65536 bytes an event may have");
	}

	@Test
	void neverWritesAnEventLargerThanItWouldRead() {
		List<LineItem> items = java.util.stream.IntStream.range(0, 600)
			.mapToObj((i) -> new LineItem("SKU-" + "x".repeat(100) + i, 1, BigDecimal.ONE))
			.toList();
		EventEnvelope<OrderPlaced> huge = EventEnvelope.first("/order-service", UUID.randomUUID(),
				OrderPlaced.of("alice", EUR, items));

		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> this.codec.encode(huge))
			.withMessageContaining("more than the 65536 bytes an event may have");
	}

	@Test
	void repeatsOnlyTheStartOfALongValueInItsErrors() {
		String token = "T".repeat(50_000);

		assertThatExceptionOfType(EventDeserializationException.class)
			.isThrownBy(() -> this.codec.decode("orders", modified((root) -> root.put("type", token))))
			.satisfies((ex) -> assertThat(ex.getMessage()).hasSizeLessThan(400)
				.contains("unknown event type 'TTTT", "… (50000 characters)'"));
	}

	@Test
	void serializerMarksRecordsAsCloudEventsAndPassesTombstonesThrough() {
		RecordHeaders headers = new RecordHeaders();
		EventSerializer serializer = new EventSerializer();

		byte[] value = serializer.serialize("orders", headers, this.placed);

		assertThat(value).isNotNull();
		assertThat(new String(headers.lastHeader("content-type").value(), StandardCharsets.UTF_8))
			.isEqualTo("application/cloudevents+json; charset=UTF-8");
		assertThat(serializer.serialize("orders", new RecordHeaders(), null)).isNull();
		assertThat(new EventDeserializer().deserialize("orders", null)).isNull();
	}

	private ObjectNode item(ObjectNode root) {
		return (ObjectNode) ((ArrayNode) root.get("data").get("items")).get(0);
	}

	private byte[] modified(Consumer<ObjectNode> change) {
		ObjectNode root = this.codec.toTree(this.placed);
		change.accept(root);
		return root.toString().getBytes(StandardCharsets.UTF_8);
	}

	private void assertInvalid(String topic, byte[] json, String... messageParts) {
		assertInvalid(new String(json, StandardCharsets.UTF_8), topic, json, messageParts);
	}

	private void assertInvalid(Mutation mutation, String... messageParts) {
		assertInvalid(mutation.toString(), mutation.topic(), mutation.json(), messageParts);
	}

	private void assertInvalid(String what, String topic, byte[] json, String... messageParts) {
		assertThatExceptionOfType(EventDeserializationException.class).as(what)
			.isThrownBy(() -> new EventDeserializer().deserialize(topic, json))
			.satisfies((ex) -> assertThat(ex.getMessage()).as(what).contains(messageParts));
	}

}
