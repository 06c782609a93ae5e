package io.ordersaga.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.apicurio.registry.content.TypedContent;
import io.apicurio.registry.rules.compatibility.CompatibilityExecutionResult;
import io.apicurio.registry.rules.compatibility.CompatibilityLevel;
import io.apicurio.registry.rules.compatibility.JsonSchemaCompatibilityChecker;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Apicurio Registry's Confluent-compatible API as its own OpenAPI document describes it,
 * served from memory, with Apicurio's JSON Schema compatibility rules deciding what a
 * subject accepts. The registry's application does not run on these machines; its API
 * document and its rules come from its published jars. Every request must be one the
 * document lists (path and method) with a body its request schema accepts, or it is
 * answered 400 and kept in {@link #undocumented()}.
 */
public final class DocumentedRegistry implements AutoCloseable {

	/** Where the API is, below the server's root, as Apicurio Registry serves it. */
	public static final String BASE = "/apis/ccompat/v7";

	private static final String API_DOCUMENT = "META-INF/resources/api-specifications/ccompat/v7/openapi.json";

	private static final JsonMapper JSON = JsonMapper.shared();

	private static final JsonNode API = readApi();

	private static final SchemaRegistry VALIDATOR = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);

	private final HttpServer server;

	private final Map<String, List<Registered>> subjects = Collections.synchronizedMap(new LinkedHashMap<>());

	private final Map<String, String> compatibility = Collections.synchronizedMap(new LinkedHashMap<>());

	private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

	private final List<String> undocumented = Collections.synchronizedList(new ArrayList<>());

	private final AtomicInteger ids = new AtomicInteger();

	/**
	 * Starts serving on a free port of this machine's loopback address.
	 * @throws IOException if it cannot listen
	 */
	public DocumentedRegistry() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext(BASE, this::handle);
		this.server.start();
	}

	/**
	 * The API's base.
	 * @return {@code http://127.0.0.1:<port>/apis/ccompat/v7}
	 */
	public URI api() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + BASE);
	}

	/**
	 * The versions of each subject, as registered: the schema's text and its references.
	 */
	Map<String, List<Registered>> registered() {
		synchronized (this.subjects) {
			return Map.copyOf(this.subjects);
		}
	}

	/**
	 * The versions of each subject, as registered schema texts.
	 * @return the schemas by subject
	 */
	public Map<String, List<String>> subjects() {
		Map<String, List<String>> texts = new LinkedHashMap<>();
		registered()
			.forEach((subject, versions) -> texts.put(subject, versions.stream().map(Registered::schema).toList()));
		return texts;
	}

	/**
	 * The compatibility rule of each subject.
	 * @return the rules by subject
	 */
	public Map<String, String> compatibility() {
		synchronized (this.compatibility) {
			return Map.copyOf(this.compatibility);
		}
	}

	/** Every request so far, as {@code METHOD path}. */
	List<String> requests() {
		synchronized (this.requests) {
			return List.copyOf(this.requests);
		}
	}

	/**
	 * The requests the API document does not allow, and why.
	 * @return one line per request
	 */
	public List<String> undocumented() {
		synchronized (this.undocumented) {
			return List.copyOf(this.undocumented);
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String method = exchange.getRequestMethod();
			String path = exchange.getRequestURI().getRawPath().substring(BASE.length());
			this.requests.add(method + " " + path);
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
			String problem = undocumented(method, path, contentType, body);
			if (problem != null) {
				this.undocumented.add(method + " " + path + ": " + problem);
				reply(exchange, 400, error(400, problem));
				return;
			}
			List<String> parts = new ArrayList<>();
			for (String part : path.substring(1).split("/")) {
				parts.add(URLDecoder.decode(part, StandardCharsets.UTF_8));
			}
			Answer answer = answer(method, parts, body.isEmpty() ? null : JSON.readTree(body));
			reply(exchange, answer.status(), answer.body());
		}
	}

	private Answer answer(String method, List<String> parts, @Nullable JsonNode body) {
		String subject = parts.get(1);
		List<Registered> versions = registered().get(subject);
		if (parts.get(0).equals("config")) {
			String level = Objects.requireNonNull(body).path("compatibility").asString();
			CompatibilityLevel.valueOf(level);
			this.compatibility.put(subject, level);
			return new Answer(200, JSON.createObjectNode().put("compatibility", level));
		}
		if (method.equals("GET")) {
			if (versions == null) {
				return new Answer(404, error(40401, "Subject '" + subject + "' not found."));
			}
			ArrayNode numbers = JSON.createArrayNode();
			for (int i = 1; i <= versions.size(); i++) {
				numbers.add(i);
			}
			return new Answer(200, numbers);
		}
		Registered proposed = new Registered(Objects.requireNonNull(body).path("schema").asString(),
				body.path("references").isArray() ? body.path("references") : JSON.createArrayNode());
		int found = (versions != null) ? indexOf(versions, proposed) : -1;
		if (parts.size() == 2) {
			if (versions == null) {
				return new Answer(404, error(40401, "Subject '" + subject + "' not found."));
			}
			if (found < 0) {
				return new Answer(404, error(40403, "Schema not found"));
			}
			return new Answer(200,
					JSON.createObjectNode()
						.put("subject", subject)
						.put("version", found + 1)
						.put("id", found + 1)
						.put("schema", versions.get(found).schema()));
		}
		if (found >= 0) {
			return new Answer(200, JSON.createObjectNode().put("id", found + 1));
		}
		Map<String, TypedContent> referenced = new LinkedHashMap<>();
		for (JsonNode reference : proposed.references()) {
			List<Registered> target = registered().get(reference.path("subject").asString());
			int version = reference.path("version").asInt();
			if (target == null || version < 1 || version > target.size()) {
				return new Answer(422, error(42201, "Invalid reference " + reference));
			}
			referenced.put(reference.path("name").asString(),
					TypedContent.create(target.get(version - 1).schema(), "application/json"));
		}
		if (versions != null) {
			CompatibilityExecutionResult result = check(subject, versions, proposed, referenced);
			if (!result.isCompatible()) {
				List<String> differences = result.getIncompatibleDifferences()
					.stream()
					.map((difference) -> difference.asRuleViolation().getDescription() + " at "
							+ difference.asRuleViolation().getContext())
					.sorted()
					.toList();
				return new Answer(409, error(409, "Incompatible schema: " + String.join(", ", differences)));
			}
		}
		this.subjects.computeIfAbsent(subject, (name) -> Collections.synchronizedList(new ArrayList<>())).add(proposed);
		return new Answer(200, JSON.createObjectNode().put("id", this.ids.incrementAndGet()));
	}

	private CompatibilityExecutionResult check(String subject, List<Registered> versions, Registered proposed,
			Map<String, TypedContent> referenced) {
		CompatibilityLevel level = CompatibilityLevel.valueOf(this.compatibility.getOrDefault(subject, "NONE"));
		List<TypedContent> existing = versions.stream()
			.map((version) -> TypedContent.create(version.schema(), "application/json"))
			.toList();
		return new JsonSchemaCompatibilityChecker().testCompatibility(level, existing,
				TypedContent.create(proposed.schema(), "application/json"), referenced);
	}

	/**
	 * The version holding the same schema with the same references, as Confluent's
	 * lookup.
	 */
	private static int indexOf(List<Registered> versions, Registered proposed) {
		JsonNode wanted = JSON.readTree(proposed.schema());
		for (int i = 0; i < versions.size(); i++) {
			if (JSON.readTree(versions.get(i).schema()).equals(wanted)
					&& versions.get(i).references().equals(proposed.references())) {
				return i;
			}
		}
		return -1;
	}

	/** Why the API document does not allow a request, or null if it does. */
	private static @Nullable String undocumented(String method, String path, @Nullable String contentType,
			String body) {
		JsonNode operation = null;
		for (Map.Entry<String, JsonNode> documented : API.path("paths").properties()) {
			String template = Pattern.quote(documented.getKey()).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
			if (path.matches(template)) {
				operation = documented.getValue().get(method.toLowerCase(java.util.Locale.ROOT));
			}
		}
		if (operation == null) {
			return "no such operation in the API document";
		}
		JsonNode content = operation.path("requestBody").path("content");
		if (content.isMissingNode()) {
			return body.isEmpty() ? null : "a body where the operation takes none";
		}
		if (contentType == null || !content.has(contentType)) {
			return "content type " + contentType + " is none of " + content.propertyNames();
		}
		Schema schema = VALIDATOR.getSchema(resolved(content.path(contentType).path("schema")));
		List<String> errors = schema.validate(JSON.readTree(body)).stream().map(Object::toString).toList();
		return errors.isEmpty() ? null : "the body does not match the request schema: " + errors;
	}

	/**
	 * A schema of the API document with its references to components replaced by them.
	 */
	private static JsonNode resolved(JsonNode schema) {
		if (schema.has("$ref")) {
			String name = schema.path("$ref").asString().substring("#/components/schemas/".length());
			return resolved(API.path("components").path("schemas").path(name));
		}
		if (schema instanceof ObjectNode object) {
			ObjectNode copy = JSON.createObjectNode();
			object.properties().forEach((entry) -> copy.set(entry.getKey(), resolved(entry.getValue())));
			return copy;
		}
		if (schema instanceof ArrayNode array) {
			ArrayNode copy = JSON.createArrayNode();
			array.forEach((element) -> copy.add(resolved(element)));
			return copy;
		}
		return schema;
	}

	private static ObjectNode error(int code, String message) {
		return JSON.createObjectNode().put("error_code", code).put("message", message);
	}

	private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
		byte[] bytes = JSON.writeValueAsBytes(body);
		exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
		exchange.sendResponseHeaders(status, bytes.length);
		exchange.getResponseBody().write(bytes);
	}

	private static JsonNode readApi() {
		try (InputStream in = DocumentedRegistry.class.getClassLoader().getResourceAsStream(API_DOCUMENT)) {
			return JSON.readTree(Objects.requireNonNull(in, API_DOCUMENT));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private record Answer(int status, JsonNode body) {
	}

	/** A version of a subject: its schema's text and its references to other subjects. */
	record Registered(String schema, JsonNode references) {
	}

}
