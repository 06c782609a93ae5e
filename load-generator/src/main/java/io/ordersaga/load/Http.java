package io.ordersaga.load;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Deque;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * As much HTTP/1.1 as the generator needs, over plain keep-alive sockets: requests with a
 * small body, answers read whole, one request at a time per connection, blocking (the
 * callers are virtual threads). The generator shares two cores with the suite it
 * measures, and the JDK's {@code HttpClient} (an asynchronous pipeline of futures and
 * schedulers per request) cost it more CPU per order than the consumer that watches the
 * orders end (docs/benchmarks.md).
 * <p>
 * Connections are pooled without a limit, as a client of many independent users would
 * open them: a request takes an idle connection or opens one. A request that fails on a
 * reused connection before any answer came (the server may have closed it while idle) is
 * sent once more on a new connection; every request the generator sends is safe to repeat
 * (orders carry an {@code Idempotency-Key}).
 */
final class Http implements AutoCloseable {

	/** A {@code Retry-After} in seconds; the other form is a date. */
	private static final Pattern SECONDS = Pattern.compile("[0-9]{1,9}");

	private final String host;

	private final int port;

	private final String basePath;

	private final String hostHeader;

	private final int connectTimeoutMillis;

	private final int readTimeoutMillis;

	private final Deque<Connection> idle = new ConcurrentLinkedDeque<>();

	private volatile boolean closed;

	/**
	 * A client of one server.
	 * @param baseUrl the server's base URL ({@code http://host:port}, maybe with a path)
	 * @param connectTimeout how long to wait for a connection
	 * @param readTimeout how long to wait for an answer
	 */
	Http(String baseUrl, Duration connectTimeout, Duration readTimeout) {
		if (!isPlainHttp(baseUrl)) {
			throw new IllegalArgumentException(
					"The load generator speaks plain HTTP only, to http://host:port: " + baseUrl);
		}
		URI uri = URI.create(baseUrl);
		this.host = uri.getHost();
		this.port = (uri.getPort() != -1) ? uri.getPort() : 80;
		this.basePath = (uri.getRawPath() != null) ? uri.getRawPath().replaceAll("/+$", "") : "";
		this.hostHeader = (uri.getPort() != -1) ? this.host + ":" + this.port : this.host;
		this.connectTimeoutMillis = Math.toIntExact(connectTimeout.toMillis());
		this.readTimeoutMillis = Math.toIntExact(readTimeout.toMillis());
	}

	/**
	 * Whether this client can talk to a base URL.
	 * @param baseUrl the URL
	 * @return whether it is {@code http://} with a host
	 */
	static boolean isPlainHttp(String baseUrl) {
		try {
			URI uri = new URI(baseUrl);
			return "http".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null;
		}
		catch (URISyntaxException ex) {
			return false;
		}
	}

	/**
	 * Sends a {@code POST} with a JSON body.
	 * @param path the path under the base URL
	 * @param idempotencyKey the {@code Idempotency-Key}, or {@code null} to send none
	 * @param json the body
	 * @return the answer
	 * @throws IOException when no answer came
	 */
	Response post(String path, @Nullable String idempotencyKey, String json) throws IOException {
		return post(path, idempotencyKey, json, null);
	}

	/**
	 * Sends a {@code POST} with a JSON body, on behalf of someone.
	 * @param path the path under the base URL
	 * @param idempotencyKey the {@code Idempotency-Key}, or {@code null} to send none
	 * @param json the body
	 * @param authorization the {@code Authorization} header ({@code Bearer <token>}), or
	 * {@code null} to send none
	 * @return the answer
	 * @throws IOException when no answer came
	 */
	Response post(String path, @Nullable String idempotencyKey, String json, @Nullable String authorization)
			throws IOException {
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		String head = "POST " + this.basePath + path + " HTTP/1.1\r\nHost: " + this.hostHeader
				+ "\r\nContent-Type: application/json\r\n" + authorizationHeader(authorization)
				+ ((idempotencyKey != null) ? "Idempotency-Key: " + idempotencyKey + "\r\n" : "") + "Content-Length: "
				+ body.length + "\r\n\r\n";
		return exchange(head, body);
	}

	/**
	 * Sends a {@code GET}.
	 * @param path the path under the base URL
	 * @return the answer
	 * @throws IOException when no answer came
	 */
	Response get(String path) throws IOException {
		return get(path, null);
	}

	/**
	 * Sends a {@code GET} on behalf of someone.
	 * @param path the path under the base URL
	 * @param authorization the {@code Authorization} header, or {@code null} to send none
	 * @return the answer
	 * @throws IOException when no answer came
	 */
	Response get(String path, @Nullable String authorization) throws IOException {
		return exchange("GET " + this.basePath + path + " HTTP/1.1\r\nHost: " + this.hostHeader + "\r\n"
				+ authorizationHeader(authorization) + "\r\n", new byte[0]);
	}

	private static String authorizationHeader(@Nullable String authorization) {
		return (authorization != null) ? "Authorization: " + authorization + "\r\n" : "";
	}

	private Response exchange(String head, byte[] body) throws IOException {
		byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
		byte[] request = new byte[headBytes.length + body.length];
		System.arraycopy(headBytes, 0, request, 0, headBytes.length);
		System.arraycopy(body, 0, request, headBytes.length, body.length);
		Connection reused = this.idle.pollFirst();
		if (reused != null) {
			try {
				return reused.exchange(request);
			}
			catch (HttpTimeoutException ex) {
				throw ex;
			}
			catch (IOException ex) {
				if (reused.answering) {
					throw ex;
				}
				// closed by the server while idle: once more, on a new connection
			}
		}
		return new Connection().exchange(request);
	}

	@Override
	public void close() {
		this.closed = true;
		Connection connection;
		while ((connection = this.idle.pollFirst()) != null) {
			connection.close();
		}
	}

	/**
	 * An answer.
	 *
	 * @param status the status code
	 * @param body the body, as text
	 * @param retryAfterSeconds the {@code Retry-After} header in seconds, or -1 if there
	 * was none (or it named a date)
	 */
	record Response(int status, String body, long retryAfterSeconds) {
	}

	/** One keep-alive connection. */
	private final class Connection {

		private final Socket socket;

		private final OutputStream out;

		private final InputStream in;

		/** Whether the answer to the current request has begun. */
		private boolean answering;

		Connection() throws IOException {
			this.socket = new Socket();
			try {
				this.socket.setTcpNoDelay(true);
				connect();
				this.socket.setSoTimeout(Http.this.readTimeoutMillis);
				this.out = this.socket.getOutputStream();
				this.in = new BufferedInputStream(this.socket.getInputStream(), 8192);
			}
			catch (IOException ex) {
				close();
				throw ex;
			}
		}

		private void connect() throws IOException {
			try {
				this.socket.connect(new InetSocketAddress(Http.this.host, Http.this.port),
						Http.this.connectTimeoutMillis);
			}
			catch (SocketTimeoutException ex) {
				throw new HttpConnectTimeoutException("No connection to " + Http.this.hostHeader + " within "
						+ Http.this.connectTimeoutMillis + " ms");
			}
		}

		Response exchange(byte[] request) throws IOException {
			boolean keep = false;
			boolean whole = false;
			this.answering = false;
			try {
				this.out.write(request);
				this.out.flush();
				String statusLine = readStatusLine();
				int status = status(statusLine);
				long length = -1;
				long retryAfter = -1;
				boolean chunked = false;
				keep = statusLine.startsWith("HTTP/1.1 ");
				for (String header = readLine(); !header.isEmpty(); header = readLine()) {
					int colon = header.indexOf(':');
					if (colon <= 0) {
						throw new ProtocolException("Not an HTTP header: " + header);
					}
					String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
					String value = header.substring(colon + 1).trim();
					switch (name) {
						case "content-length" -> length = number(value, 10);
						case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
						case "connection" -> keep = keep && !value.equalsIgnoreCase("close");
						case "retry-after" ->
							retryAfter = SECONDS.matcher(value).matches() ? Long.parseLong(value) : -1;
						default -> {
						}
					}
				}
				byte[] body;
				if (status == 204 || status == 304) {
					// never a body, whatever the headers say
					body = new byte[0];
				}
				else if (chunked) {
					body = readChunked();
				}
				else if (length >= 0) {
					body = this.in.readNBytes(Math.toIntExact(length));
					if (body.length < length) {
						throw new EOFException("The connection closed in the middle of a body");
					}
				}
				else {
					// Neither a length nor chunks: the body ends with the connection.
					body = this.in.readAllBytes();
					keep = false;
				}
				whole = true;
				return new Response(status, new String(body, StandardCharsets.UTF_8), retryAfter);
			}
			finally {
				// Only a connection whose answer was read whole can carry the next one.
				if (whole && keep && !Http.this.closed) {
					Http.this.idle.addFirst(this);
				}
				else {
					close();
				}
			}
		}

		private String readStatusLine() throws IOException {
			try {
				return readLine();
			}
			catch (SocketTimeoutException ex) {
				throw new HttpTimeoutException(
						"No answer from " + Http.this.hostHeader + " within " + Http.this.readTimeoutMillis + " ms");
			}
		}

		private byte[] readChunked() throws IOException {
			ByteArrayOutputStream body = new ByteArrayOutputStream(512);
			while (true) {
				String sizeLine = readLine();
				int extension = sizeLine.indexOf(';');
				int size = Math.toIntExact(
						number((extension >= 0) ? sizeLine.substring(0, extension).trim() : sizeLine.trim(), 16));
				if (size == 0) {
					while (!readLine().isEmpty()) {
						// trailers, which nothing here needs
					}
					return body.toByteArray();
				}
				byte[] chunk = this.in.readNBytes(size);
				if (chunk.length < size) {
					throw new EOFException("The connection closed in the middle of a chunk");
				}
				body.write(chunk);
				if (!readLine().isEmpty()) {
					throw new ProtocolException("A chunk did not end with CRLF");
				}
			}
		}

		/** Reads a line, without its line end. */
		private String readLine() throws IOException {
			StringBuilder line = new StringBuilder(64);
			while (true) {
				int b = this.in.read();
				if (b == -1) {
					throw new EOFException(this.answering ? "The connection closed in the middle of an answer"
							: "The server closed the connection");
				}
				this.answering = true;
				if (b == '\n') {
					int end = line.length();
					if (end > 0 && line.charAt(end - 1) == '\r') {
						line.setLength(end - 1);
					}
					return line.toString();
				}
				line.append((char) b);
			}
		}

		private static long number(String text, int radix) throws ProtocolException {
			try {
				return Long.parseLong(text, radix);
			}
			catch (NumberFormatException ex) {
				throw new ProtocolException("Not an HTTP length: " + text);
			}
		}

		private static int status(String statusLine) throws ProtocolException {
			// HTTP/1.1 202 Accepted (the reason phrase is optional)
			if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
				throw new ProtocolException("Not an HTTP status line: " + statusLine);
			}
			try {
				return Integer.parseInt(statusLine.substring(9, 12));
			}
			catch (NumberFormatException ex) {
				throw new ProtocolException("Not an HTTP status line: " + statusLine);
			}
		}

		void close() {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// nothing left to do
			}
		}

	}

}
