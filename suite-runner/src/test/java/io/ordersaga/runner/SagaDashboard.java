package io.ordersaga.runner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The Grafana dashboard of the saga that the monitoring compose file provisions. */
final class SagaDashboard {

	static final Path FILE = ComposeFile.HOME.resolve("docker/monitoring/grafana/dashboards/order-saga.json");

	private SagaDashboard() {
	}

	static JsonNode read() {
		return JsonMapper.shared().readTree(FILE.toFile());
	}

	/** Every Prometheus query of every panel. */
	static List<String> queries() {
		List<String> queries = new ArrayList<>();
		for (JsonNode panel : read().path("panels")) {
			for (JsonNode target : panel.path("targets")) {
				if (target.has("expr")) {
					queries.add(target.path("expr").asString());
				}
			}
		}
		return queries;
	}

}
