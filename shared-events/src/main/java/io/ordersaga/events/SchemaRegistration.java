package io.ordersaga.events;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Registers every event type's JSON Schema in a schema registry through the Confluent
 * schema registry API (Apicurio Registry serves it at {@code /apis/ccompat/v7}), so that
 * Conduktor Console and other Kafka tools show the contract.
 *
 * <p>
 * <b>Subjects</b> follow Confluent's {@code TopicRecordNameStrategy}: one subject per
 * event type, {@code <topic>-<type token>} ({@code orders-OrderPlaced}), the record name
 * of a JSON Schema being its {@code title}, which the registered form sets to the token.
 * Each saga topic also gets the {@code TopicNameStrategy}'s {@code <topic>-value}, where
 * Conduktor Console's topic view looks: one of the topic's event types, each by a
 * reference to its subject's current version.
 *
 * <p>
 * <b>The registered form</b> of a schema is its current version in draft 7 with every
 * object closed ({@code additionalProperties: false}): what a producer of exactly that
 * version writes. Readers still ignore what they do not know; the closed form is what
 * lets the registry judge a new version: with open objects, its JSON Schema rules count
 * every added optional field as incompatible for readers of the new version.
 *
 * <p>
 * <b>Compatibility</b> is {@value #COMPATIBILITY} on every subject: a version must read
 * everything every earlier version wrote, so it may add optional fields and nothing else
 * that changes a document's shape. The registry refuses any other change with 409 and the
 * registration fails, naming the subject and the registry's reason.
 *
 * <p>
 * Registration is idempotent: a schema the subject already holds is looked up, not
 * registered again.
 */
public final class SchemaRegistration {

	/** The compatibility rule set on every subject. */
	public static final String COMPATIBILITY = "BACKWARD_TRANSITIVE";

	private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final JsonMapper JSON = JsonMapper.shared();

	private final URI registry;

	private final HttpClient http;

	/**
	 * A registration against a registry's Confluent-compatible API.
	 * @param registry the API's base, for example
	 * {@code http://localhost:8085/apis/ccompat/v7}
	 */
	public SchemaRegistration(URI registry) {
		this.registry = URI.create(registry.toString().replaceAll("/+$", "") + "/");
		this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
	}

	/**
	 * The subject of an event type.
	 * @param type the event type
	 * @return {@code <topic>-<type token>}
	 */
	public static String subject(EventType type) {
		return type.topic().topicName() + "-" + type.token();
	}

	/**
	 * The schema registered for an event type.
	 * @param type the event type
	 * @return its registered form
	 */
	public static ObjectNode registeredForm(EventType type) {
		ObjectNode schema = JsonSchemas.closed(JsonSchemas.current(type));
		ObjectNode form = JSON.createObjectNode();
		form.put("$schema", JsonSchemas.DRAFT_7);
		form.setAll(schema);
		form.put("title", type.token());
		return form;
	}

	/**
	 * The schema of a topic's {@code <topic>-value} subject: one of its event types.
	 * @param topic the topic
	 * @return the schema, whose {@code $ref}s are the names of {@link #references}
	 */
	public static ObjectNode topicForm(Topic topic) {
		ObjectNode form = JSON.createObjectNode();
		form.put("$schema", JsonSchemas.DRAFT_7);
		form.put("title", topic.topicName());
		form.put("description", "A record value of '" + topic.topicName() + "': one of its event types, told apart "
				+ "by the CloudEvents 'type' attribute.");
		ArrayNode oneOf = form.putArray("oneOf");
		topic.eventTypes().forEach((type) -> oneOf.addObject().put("$ref", reference(type)));
		return form;
	}

	/**
	 * The name by which {@code <topic>-value} refers to an event type's schema: its id.
	 */
	static String reference(EventType type) {
		return JsonSchemas.current(type).path("$id").asString();
	}

	/**
	 * Registers every event type's schema, then each saga topic's {@code <topic>-value}.
	 * @return one line per subject, saying what was done
	 * @throws RegistrationException if the registry refuses a schema or cannot be reached
	 */
	public List<String> registerAll() {
		List<String> done = new ArrayList<>();
		Map<EventType, Integer> versions = new EnumMap<>(EventType.class);
		for (EventType type : EventType.values()) {
			Registered registered = register(subject(type), registeredForm(type), JSON.createArrayNode());
			versions.put(type, registered.version());
			done.add(registered.line());
		}
		for (Topic topic : Topic.values()) {
			ArrayNode references = JSON.createArrayNode();
			topic.eventTypes()
				.forEach((type) -> references.addObject()
					.put("name", reference(type))
					.put("subject", subject(type))
					.put("version", versions.get(type)));
			done.add(register(topic.topicName() + "-value", topicForm(topic), references).line());
		}
		return done;
	}

	/**
	 * Registers one schema under a subject and sets the subject's compatibility rule; a
	 * new version of a subject that has one is checked against the rule first.
	 * @param subject the subject
	 * @param schema the schema
	 * @return what was done, in a line
	 * @throws RegistrationException if the registry refuses it or cannot be reached
	 */
	public String register(String subject, JsonNode schema) {
		return register(subject, schema, JSON.createArrayNode()).line();
	}

	private Registered register(String subject, JsonNode schema, ArrayNode references) {
		ObjectNode request = JSON.createObjectNode()
			.put("schemaType", "JSON")
			.put("schema", JSON.writeValueAsString(schema));
		if (!references.isEmpty()) {
			request.set("references", references);
		}
		String body = JSON.writeValueAsString(request);
		Reply lookup = send("POST", "subjects/" + encode(subject), body);
		if (lookup.status() == 200) {
			configure(subject);
			int version = lookup.json().path("version").asInt();
			return new Registered(version, subject + ": version " + version + " already registered");
		}
		if (lookup.status() != 404) {
			throw lookup.failure("look up the schema of " + subject);
		}
		boolean exists = send("GET", "subjects/" + encode(subject) + "/versions", null).status() == 200;
		if (exists) {
			configure(subject);
		}
		Reply registered = send("POST", "subjects/" + encode(subject) + "/versions", body);
		if (registered.status() == 409) {
			throw new RegistrationException("The registry refused the schema of " + subject + " as not " + COMPATIBILITY
					+ " compatible with the versions it holds: " + registered.message()
					+ ". A version may only add optional fields; any other change is a new event type.");
		}
		if (registered.status() != 200) {
			throw registered.failure("register the schema of " + subject);
		}
		if (!exists) {
			configure(subject);
		}
		Reply found = send("POST", "subjects/" + encode(subject), body);
		if (found.status() != 200) {
			throw found.failure("look up the schema just registered under " + subject);
		}
		return new Registered(found.json().path("version").asInt(),
				subject + ": registered as schema " + registered.json().path("id").asInt());
	}

	private void configure(String subject) {
		String body = JSON.writeValueAsString(JSON.createObjectNode().put("compatibility", COMPATIBILITY));
		Reply reply = send("PUT", "config/" + encode(subject), body);
		if (reply.status() != 200) {
			throw reply.failure("set " + COMPATIBILITY + " on " + subject);
		}
	}

	private Reply send(String method, String path, @Nullable String body) {
		URI uri = this.registry.resolve(path);
		HttpRequest.Builder request = HttpRequest.newBuilder(uri)
			.timeout(TIMEOUT)
			.header("Accept", CONTENT_TYPE + ", application/json");
		if (body != null) {
			request.header("Content-Type", CONTENT_TYPE);
		}
		request.method(method,
				(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		try {
			HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Reply(method + " " + uri, response.statusCode(), response.body());
		}
		catch (IOException ex) {
			throw new RegistrationException(
					"Cannot reach the schema registry at " + this.registry + " (" + ex + "); is it running?", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RegistrationException("Interrupted while talking to the schema registry", ex);
		}
	}

	private static String encode(String subject) {
		return URLEncoder.encode(subject, StandardCharsets.UTF_8);
	}

	/**
	 * Registers the contract in the registry named by the argument or by
	 * {@code SCHEMA_REGISTRY_URL}; exits with status 1, saying why, when it cannot.
	 * @param args the registry's Confluent-compatible API, optional
	 */
	public static void main(String[] args) {
		String url = (args.length > 0) ? args[0] : System.getenv("SCHEMA_REGISTRY_URL");
		if (url == null || url.isBlank()) {
			System.err.println("Usage: SchemaRegistration <registry API URL>, or set SCHEMA_REGISTRY_URL "
					+ "(for example http://localhost:8085/apis/ccompat/v7)");
			System.exit(2);
		}
		System.exit(run(URI.create(url), System.out, System.err));
	}

	static int run(URI registry, PrintStream out, PrintStream err) {
		try {
			new SchemaRegistration(registry).registerAll().forEach(out::println);
			return 0;
		}
		catch (RegistrationException ex) {
			err.println(ex.getMessage());
			return 1;
		}
	}

	private record Registered(int version, String line) {
	}

	private record Reply(String request, int status, String body) {

		JsonNode json() {
			try {
				return JSON.readTree(this.body);
			}
			catch (JacksonException ex) {
				return JSON.missingNode();
			}
		}

		/** The registry's own message (Confluent's {@code message}), or the body. */
		String message() {
			String message = json().path("message").asString("");
			return message.isEmpty() ? this.body : message;
		}

		RegistrationException failure(String what) {
			return new RegistrationException("Could not " + what + ": " + this.request + " answered " + this.status
					+ ((this.body.isEmpty()) ? "" : ": " + message()));
		}

	}

	/** The registry refused the contract or could not be reached. */
	public static final class RegistrationException extends RuntimeException {

		RegistrationException(String message) {
			super(message);
		}

		RegistrationException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
