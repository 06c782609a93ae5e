package io.ordersaga.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Reads each request whole and answers the next scripted bytes, on one connection after
 * another.
 */
final class ScriptedServer implements AutoCloseable {

	private static final String CLOSE = "close";

	private static final String SILENCE = "silence";

	private final ServerSocket socket;

	/** Each step: the answer, and what happens after it. */
	private final Queue<String[]> script = new ConcurrentLinkedQueue<>();

	private final List<String> requests = new CopyOnWriteArrayList<>();

	private final List<Socket> accepted = new CopyOnWriteArrayList<>();

	ScriptedServer() {
		try {
			this.socket = new ServerSocket(0);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		Thread.ofVirtual().start(this::serve);
	}

	String url() {
		return "http://localhost:" + port();
	}

	int port() {
		return this.socket.getLocalPort();
	}

	void answer(String answer) {
		this.script.add(new String[] { answer, "" });
	}

	void answerAndClose(String answer) {
		this.script.add(new String[] { answer, CLOSE });
	}

	/** Closes the connection before reading the next request. */
	void closeInstead() {
		this.script.add(new String[] { null, CLOSE });
	}

	/** Reads the next request and never answers it. */
	void silence() {
		this.script.add(new String[] { null, SILENCE });
	}

	List<String> requests() {
		return this.requests;
	}

	int connections() {
		return this.accepted.size();
	}

	private void serve() {
		try {
			while (true) {
				Socket connection = this.socket.accept();
				this.accepted.add(connection);
				Thread.ofVirtual().start(() -> converse(connection));
			}
		}
		catch (IOException ex) {
			// closed
		}
	}

	private void converse(Socket connection) {
		try (connection) {
			InputStream in = connection.getInputStream();
			while (true) {
				String[] step = this.script.peek();
				if (step != null && step[0] == null && step[1].equals(CLOSE)) {
					this.script.poll();
					return;
				}
				String request = readRequest(in);
				if (request == null) {
					return;
				}
				this.requests.add(request);
				step = this.script.poll();
				if (step == null || step[1].equals(SILENCE)) {
					in.readAllBytes();
					return;
				}
				connection.getOutputStream().write(step[0].getBytes(StandardCharsets.UTF_8));
				connection.getOutputStream().flush();
				if (step[1].equals(CLOSE) || !step[0].startsWith("HTTP/1.1") || step[0].contains("Connection: close")
						|| !step[0].contains("ength: ") && !step[0].contains("chunked")
								&& !step[0].startsWith("HTTP/1.1 204")) {
					return;
				}
			}
		}
		catch (IOException ex) {
			// the client went away
		}
	}

	/** A request's head and body, or {@code null} at the end of the connection. */
	private static String readRequest(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
			int b = in.read();
			if (b == -1) {
				return null;
			}
			head.write(b);
		}
		String text = head.toString(StandardCharsets.UTF_8);
		int length = text.lines()
			.filter((line) -> line.startsWith("Content-Length: "))
			.mapToInt((line) -> Integer.parseInt(line.substring(16)))
			.findFirst()
			.orElse(0);
		return text + new String(in.readNBytes(length), StandardCharsets.UTF_8);
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
		for (Socket connection : this.accepted) {
			connection.close();
		}
	}

}
