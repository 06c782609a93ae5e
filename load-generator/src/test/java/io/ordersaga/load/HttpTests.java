package io.ordersaga.load;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The generator's HTTP client against a server on a real socket that answers as it is
 * told, byte for byte: the framings a server may choose, keep-alive, and a connection the
 * server closed while it was idle.
 */
class HttpTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final ScriptedServer server = new ScriptedServer();

	@AfterEach
	void stop() throws IOException {
		this.server.close();
	}

	@Test
	void postsAJsonBodyWithItsIdempotencyKeyAndReadsAnAnswerOfKnownLength() throws IOException {
		this.server.answer("HTTP/1.1 202 \r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n"
				+ "{\"orderId\":\"42\"}\n");
		try (Http http = new Http(this.server.url() + "/base/", TIMEOUT, TIMEOUT)) {
			Http.Response response = http.post("/orders", "key-1", "{\"customerId\":\"zoë\"}");

			assertThat(response).isEqualTo(new Http.Response(202, "{\"orderId\":\"42\"}\n", -1));
		}
		String request = this.server.requests().getFirst();
		assertThat(request).startsWith("POST /base/orders HTTP/1.1\r\n")
			.contains("\r\nHost: localhost:" + this.server.port() + "\r\n", "\r\nContent-Type: application/json\r\n",
					"\r\nIdempotency-Key: key-1\r\n", "\r\nContent-Length: 21\r\n")
			.endsWith("\r\n\r\n{\"customerId\":\"zoë\"}");
	}

	@Test
	void postsWithoutAnIdempotencyKeyWhenItHasNone() throws IOException {
		this.server.answer("HTTP/1.1 202 \r\nContent-Length: 0\r\n\r\n");
		try (Http http = new Http(this.server.url(), TIMEOUT, TIMEOUT)) {
			assertThat(http.post("/orders", null, "{}")).isEqualTo(new Http.Response(202, "", -1));
		}
		assertThat(this.server.requests().getFirst()).doesNotContainIgnoringCase("idempotency-key")
			.contains("\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
	}

	@Test
	void readsHowLongARefusalAsksToWaitInSecondsAndNotADate() throws IOException {
		this.server.answer("HTTP/1.1 503 \r\nRetry-After: 2\r\nContent-Length: 0\r\n\r\n");
		this.server.answer("HTTP/1.1 503 \r\nretry-after: Fri, 31 Dec 1999 23:59:59 GMT\r\nContent-Length: 0\r\n\r\n");
		try (Http http = new Http(this.server.url(), TIMEOUT, TIMEOUT)) {
			assertThat(http.post("/orders", null, "{}")).isEqualTo(new Http.Response(503, "", 2));
			assertThat(http.post("/orders", null, "{}").retryAfterSeconds()).isEqualTo(-1);
		}
	}

	@Test
	void readsAChunkedAnswerWithExtensionsAndTrailers() throws IOException {
		this.server.answer("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n" + "5;note=first\r\n{\"a\":\r\n"
				+ "b\r\n\"chunked\"}\n\r\n" + "0\r\nX-Trailer: yes\r\n\r\n");
		try (Http http = new Http(this.server.url(), TIMEOUT, TIMEOUT)) {
			assertThat(http.get("/accounts/alice")).isEqualTo(new Http.Response(200, "{\"a\":\"chunked\"}\n", -1));
		}
		assertThat(this.server.requests().getFirst())
			.isEqualTo("GET /accounts/alice HTTP/1.1\r\nHost: localhost:" + this.server.port() + "\r\n\r\n");
	}

	@Test
	void sendsTheNextRequestOnTheSameConnection() throws IOException {
		this.server.answer("HTTP/1.1 202 \r\nContent-Length: 1\r\n\r\na");
		this.server.answer("HTTP/1.1 202 \r\nContent-Length: 1\r\n\r\nb");
		try (Http http = new Http(this.server.url(), TIMEOUT, TIMEOUT)) {
			assertThat(http.post("/orders", "k1", "{}").body()).isEqualTo("a");
			assertThat(http.post("/orders", "k2", "{}").body()).isEqualTo("b");
		}
		assertThat(this.server.connections()).isOne();
	}

	@Test
	void readsNoBodyAfterNoContentAndKeepsTheConnection() throws IOException {
		this.server.answer("HTTP/1.1 204 \r\nContent-Length: 0\r\n\r\n");
		this.server.answer("HTTP/1.1 204 \r\n\r\n");
		this.server.answer("HTTP/1.1 202 \r\nContent-Length: 1\r\n\r\nc");
		try (Http http = new Http(this.server.url(), TIMEOUT, TIMEOUT)) {
			assertThat(http.post("/orders", "k1", "{}")).isEqualTo(new Http.Response(204, "", -1));
			assertThat(http.post("/orders", "k2", "{}")).isEqualTo(new Http.Response(204, "", -1));
			assertThat(http.post("/orders", "k3", "{}").body()).isEqualTo("c");
		}
		assertThat(this.server.connections()).isOne();
	}

	@Test
	void opensANewConnectionAfterAnAnswerThatClosesIt() throws IOException {
		this.server.answer("HTTP/1.1 202 \r\nConnection: close\r\nContent-Length: 1\r\n\r\na");
		this.server.answer("HTTP/1.0 202 \r\nContent-Length: 1\r\n\r\nb");
		this.server.answer("HTTP/1.1 200 \r\n\r\nto the end of the connection");
		this.server.answer("HTTP/1.1 202 \r\nContent-Length: 1\r\n\r\nd");
		try (Http http = new Http(this.server.url(), TIMEOUT, TIMEOUT)) {
			assertThat(http.post("/orders", "k1", "{}").body()).isEqualTo("a");
			assertThat(http.post("/orders", "k2", "{}").body()).isEqualTo("b");
			assertThat(http.get("/x").body()).isEqualTo("to the end of the connection");
			assertThat(http.post("/orders", "k4", "{}").body()).isEqualTo("d");
		}
		assertThat(this.server.connections()).isEqualTo(4);
	}

	@Test
	void sendsARequestAgainOnANewConnectionWhenAnIdleOneWasClosedByTheServer() throws IOException {
		this.server.answer("HTTP/1.1 202 \r\nContent-Length: 1\r\n\r\na");
		// The server closes the connection without a word, as one does after its
		// keep-alive time-out, before it reads the second request.
		this.server.closeInstead();
		this.server.answer("HTTP/1.1 202 \r\nContent-Length: 1\r\n\r\nb");
		try (Http http = new Http(this.server.url(), TIMEOUT, TIMEOUT)) {
			assertThat(http.post("/orders", "k1", "{}").body()).isEqualTo("a");
			assertThat(http.post("/orders", "k2", "{}").body()).isEqualTo("b");
		}
		assertThat(this.server.connections()).isEqualTo(2);
		assertThat(this.server.requests()).hasSize(2).allMatch((request) -> request.startsWith("POST /orders"));
	}

	@Test
	void doesNotSendAgainWhenAnAnswerBrokeOff() throws IOException {
		this.server.answer("HTTP/1.1 202 \r\nContent-Length: 1\r\n\r\na");
		this.server.answerAndClose("HTTP/1.1 202 \r\nContent-Length: 10\r\n\r\nabc");
		try (Http http = new Http(this.server.url(), TIMEOUT, TIMEOUT)) {
			http.post("/orders", "k1", "{}");
			assertThatExceptionOfType(IOException.class).isThrownBy(() -> http.post("/orders", "k2", "{}"))
				.withMessage("The connection closed in the middle of a body");
		}
		assertThat(this.server.requests()).hasSize(2);
	}

	@Test
	void dropsAConnectionWhoseAnswerCouldNotBeRead() throws IOException {
		this.server.answer("HTTP/1.1 200 \r\nnot a header\r\nContent-Length: 1\r\n\r\na");
		this.server.answer("HTTP/1.1 200 \r\nContent-Length: lots\r\n\r\nb");
		this.server.answer("HTTP/1.1 202 \r\nContent-Length: 1\r\n\r\nc");
		try (Http http = new Http(this.server.url(), TIMEOUT, TIMEOUT)) {
			assertThatExceptionOfType(java.net.ProtocolException.class).isThrownBy(() -> http.get("/a"))
				.withMessage("Not an HTTP header: not a header");
			assertThatExceptionOfType(java.net.ProtocolException.class).isThrownBy(() -> http.get("/b"))
				.withMessage("Not an HTTP length: lots");
			assertThat(http.get("/c")).isEqualTo(new Http.Response(202, "c", -1));
		}
		assertThat(this.server.connections()).isEqualTo(3);
	}

	@Test
	void givesUpOnAServerThatDoesNotAnswerInTime() throws IOException {
		this.server.silence();
		try (Http http = new Http(this.server.url(), TIMEOUT, Duration.ofMillis(200))) {
			assertThatExceptionOfType(HttpTimeoutException.class).isThrownBy(() -> http.post("/orders", "k1", "{}"))
				.withMessage("No answer from localhost:" + this.server.port() + " within 200 ms");
		}
		assertThat(this.server.requests()).hasSize(1);
	}

	@Test
	void refusesWhatIsNotAnHttpAnswer() throws IOException {
		this.server.answerAndClose("SSH-2.0-OpenSSH_9.2\r\n");
		try (Http http = new Http(this.server.url(), TIMEOUT, TIMEOUT)) {
			assertThatExceptionOfType(java.net.ProtocolException.class).isThrownBy(() -> http.get("/"))
				.withMessage("Not an HTTP status line: SSH-2.0-OpenSSH_9.2");
		}
	}

	@Test
	void speaksPlainHttpOnly() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Http("https://example.org", TIMEOUT, TIMEOUT))
			.withMessage("The load generator speaks plain HTTP only, to http://host:port: https://example.org");
		assertThatIllegalArgumentException().isThrownBy(() -> new Http("localhost:8081", TIMEOUT, TIMEOUT))
			.withMessageContaining("localhost:8081");
	}

}
