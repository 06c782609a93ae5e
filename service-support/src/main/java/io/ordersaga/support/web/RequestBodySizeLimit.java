package io.ordersaga.support.web;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.server.ContentTooLargeException;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Refuses request bodies above a limit with 413. Tomcat limits only form posts, so JSON
 * bodies are checked here: by their {@code Content-Length} up front, and by counting
 * bytes for chunked requests.
 */
@ControllerAdvice
public class RequestBodySizeLimit extends RequestBodyAdviceAdapter {

	private final long maxBytes;

	public RequestBodySizeLimit(DataSize max) {
		this.maxBytes = max.toBytes();
	}

	@Override
	public boolean supports(MethodParameter parameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) {
		return true;
	}

	@Override
	public HttpInputMessage beforeBodyRead(HttpInputMessage input, MethodParameter parameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) throws IOException {
		if (input.getHeaders().getContentLength() > this.maxBytes) {
			throw tooLarge();
		}
		InputStream limited = new FilterInputStream(input.getBody()) {

			private long read;

			@Override
			public int read() throws IOException {
				int b = super.read();
				count((b >= 0) ? 1 : 0);
				return b;
			}

			@Override
			public int read(byte[] buffer, int offset, int length) throws IOException {
				int n = super.read(buffer, offset, length);
				count(Math.max(n, 0));
				return n;
			}

			private void count(int n) {
				this.read += n;
				if (this.read > RequestBodySizeLimit.this.maxBytes) {
					throw tooLarge();
				}
			}

		};
		return new HttpInputMessage() {

			@Override
			public InputStream getBody() {
				return limited;
			}

			@Override
			public HttpHeaders getHeaders() {
				return input.getHeaders();
			}

		};
	}

	private ContentTooLargeException tooLarge() {
		ContentTooLargeException ex = new ContentTooLargeException(null);
		ex.setDetail("The request body must not exceed " + this.maxBytes + " bytes.");
		return ex;
	}

}
