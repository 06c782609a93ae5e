package io.ordersaga.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A client of Prometheus' HTTP API, as Grafana queries it. */
final class PrometheusApi {

	private final URI api;

	private final HttpClient http = HttpClient.newHttpClient();

	PrometheusApi(String url) {
		this.api = URI.create(url + "/api/v1/");
	}

	/** The health of every target, by its address. */
	Map<String, String> targets() {
		Map<String, String> health = new TreeMap<>();
		get("targets").path("data")
			.path("activeTargets")
			.forEach((target) -> health.put(target.path("labels").path("instance").asString(),
					target.path("health").asString()));
		return health;
	}

	/** The series an instant query answers. */
	JsonNode query(String expression) {
		JsonNode answer = get("query?query=" + URLEncoder.encode(expression, StandardCharsets.UTF_8));
		if (!answer.path("status").asString().equals("success")) {
			throw new IllegalStateException(expression + ": " + answer);
		}
		return answer.path("data").path("result");
	}

	private JsonNode get(String path) {
		try {
			HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(this.api.resolve(path)).build(),
					HttpResponse.BodyHandlers.ofString());
			return JsonMapper.shared().readTree(response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
