package io.ordersaga.kafka.test;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * How a JSON body the README shows, with its {@code ...}, is compared with a real one.
 */
class ReadmeJsonTests {

	private static final String ORDER = """
			{"orderId":"77c7b3ce","customerId":"alice","status":"CONFIRMED","total":25.0,"currency":"EUR",
			 "items":[{"sku":"BOOK-1","quantity":2}],"history":[{"type":"OrderPlaced","time":"2026-12-03T10:00:00Z"}]}""";

	@Test
	void matchesWhatItShowsAndLetsDotsStandForTheRest() {
		assertThat(ReadmeJson.mismatches("""
				{"orderId":"77c7b3ce","status":"CONFIRMED",...,
				 "history":[{"type":"OrderPlaced",...}], ...}""", ORDER)).isEmpty();
		assertThat(ReadmeJson.mismatches("""
				{"orderId":"...","customerId":"alice","status":"CONFIRMED","total":25.00,"currency":"EUR",
				 "items":[...],"history":[{"type":"OrderPlaced","time":"..."}]}""", ORDER)).isEmpty();
	}

	@Test
	void comparesNumbersByValue() {
		assertThat(ReadmeJson.mismatches("{\"total\":25.00, ...}", ORDER)).isEmpty();
		assertThat(ReadmeJson.mismatches("{\"total\":25.01, ...}", ORDER))
			.containsExactly("$.total: expected 25.01 but was 25.0");
		assertThat(ReadmeJson.mismatches("{\"total\":\"25.00\", ...}", ORDER))
			.containsExactly("$.total: expected \"25.00\" but was 25.0");
	}

	@Test
	void reportsEachValueThatDiffers() {
		assertThat(ReadmeJson.mismatches("""
				{"status":"PENDING_PAYMENT","items":[{"sku":"BOOK-2",...}],"refund":"...", ...}""", ORDER))
			.containsExactly("$.status: expected \"PENDING_PAYMENT\" but was \"CONFIRMED\"",
					"$.items[0].sku: expected \"BOOK-2\" but was \"BOOK-1\"", "$.refund: missing");
	}

	@Test
	void anObjectWithoutDotsHasExactlyItsMembers() {
		assertThat(ReadmeJson.mismatches("""
				{"orderId":"77c7b3ce","customerId":"alice","status":"CONFIRMED","total":25.0,"currency":"EUR",
				 "items":[{"sku":"BOOK-1"}],"history":[...]}""", ORDER))
			.containsExactly("$.items[0].quantity: not shown in the README");
	}

	@Test
	void anArrayHasExactlyItsElementsInOrder() {
		assertThat(ReadmeJson.mismatches("{\"items\":[], ...}", ORDER)).singleElement()
			.asString()
			.startsWith("$.items: expected 0 elements but was");
		assertThat(ReadmeJson.mismatches("[1,2]", "[2,1]")).containsExactly("$[0]: expected 1 but was 2",
				"$[1]: expected 2 but was 1");
	}

	@Test
	void saysSoWhenTheBodyIsNotJson() {
		assertThat(ReadmeJson.mismatches("{...}", "<html>Bad Gateway</html>"))
			.containsExactly("the body is not JSON: <html>Bad Gateway</html>");
		assertThat(ReadmeJson.mismatches("{...}", "")).containsExactly("the body is not JSON: ");
	}

	@Test
	void namesAReadmeBodyThatIsNotJson() {
		assertThatIllegalArgumentException().isThrownBy(() -> ReadmeJson.mismatches("{\"status\":CONFIRMED}", ORDER))
			.withMessage("The README shows a body that is not JSON, even with its ... standing for members or "
					+ "values: {\"status\":CONFIRMED}");
	}

	@Test
	void knowsABodyThatIsJsonFromOneThatIsNot() {
		assertThat(ReadmeJson.isJson(" {\"a\":1}")).isTrue();
		assertThat(ReadmeJson.isJson("[{...}]")).isTrue();
		assertThat(ReadmeJson.isJson(":subscribed to alice\n\nevent:notification")).isFalse();
		assertThat(ReadmeJson.isJson("")).isFalse();
	}

}
