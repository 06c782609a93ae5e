package io.ordersaga.events;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The suite's AsyncAPI 3 document, generated from what the code already says, never
 * written by hand: the channels from the {@link TopicCatalogue} (every topic, its
 * partitions and settings), the messages from the {@link EventType}s and their JSON
 * Schemas (the whole CloudEvents document of each), who sends and who receives from the
 * access rules of {@link KafkaAccess} (a principal that may write a topic sends on it,
 * one that may read it receives), and the record key and headers from {@link Topic} and
 * the codec. The topics only one service uses (its account commands, its webhook queue)
 * are listed with their owner and an opaque payload: they are not part of the contract.
 *
 * <p>
 * {@code docs/asyncapi.json} is {@link #document()}; each service serves
 * {@link #ownedBy(String)} at {@code GET /asyncapi}.
 */
public final class AsyncApi {

	/** The AsyncAPI version of the document. */
	public static final String VERSION = "3.1.0";

	/** The Kafka bindings' version. */
	private static final String KAFKA_BINDING = "0.5.0";

	/** How the payloads' schemas are written: JSON Schema, within AsyncAPI's reach. */
	private static final String SCHEMA_FORMAT = "application/schema+json;version=draft-07";

	/** The content type of every event, as the codec writes it in its header. */
	private static final String CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";

	/** The headers of Spring Kafka's dead-letter records, which every dead letter has. */
	private static final List<String> DEAD_LETTER_HEADERS = List.of("kafka_dlt-original-topic",
			"kafka_dlt-original-partition", "kafka_dlt-original-offset", "kafka_dlt-original-timestamp",
			"kafka_dlt-original-consumer-group", "kafka_dlt-exception-fqcn", "kafka_dlt-exception-message",
			"kafka_dlt-exception-stacktrace");

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private AsyncApi() {
	}

	/**
	 * The whole document: every topic, every event and every service.
	 * @return the document
	 */
	public static ObjectNode document() {
		return build(null);
	}

	/**
	 * The part of the document a service owns: the operations it sends and receives, and
	 * the channels and messages they use.
	 * @param service the service, as the access rules name its principal
	 * @return the document of its part
	 * @throws IllegalArgumentException for a name that is no service's
	 */
	public static ObjectNode ownedBy(String service) {
		if (!KafkaAccess.principals().contains(service)) {
			throw new IllegalArgumentException("No service of the suite is called " + service);
		}
		return build(service);
	}

	/**
	 * A document as its file is written: indented JSON, ending with a line break.
	 * @param document the document
	 * @return its text
	 */
	public static String text(JsonNode document) {
		return JSON.writeValueAsString(document) + "\n";
	}

	/**
	 * Writes the whole document to a file.
	 * @param args the file, {@code docs/asyncapi.json} by default
	 * @throws IOException if it cannot be written
	 */
	public static void main(String[] args) throws IOException {
		Path file = Path.of((args.length > 0) ? args[0] : "docs/asyncapi.json");
		Files.writeString(file, text(document()));
	}

	private static ObjectNode build(@Nullable String service) {
		ObjectNode document = JSON.createObjectNode();
		document.put("asyncapi", VERSION);
		ObjectNode info = document.putObject("info");
		info.put("title", (service != null) ? "order-saga: " + service : "order-saga");
		info.put("version", contractVersion());
		info.put("description",
				(service != null) ? "The events " + service + " sends and receives, part of the order saga's contract."
						: "The order saga's events on Kafka: order-service places and ends orders, payment-service "
								+ "charges and refunds, notification-service tells the customer. Every event is a "
								+ "CloudEvents 1.0 JSON document (structured mode) keyed by its order id; a record a "
								+ "service cannot process goes to the topic's dead-letter topic with Spring Kafka's "
								+ "error headers.");
		servers(document.putObject("servers"));
		document.put("defaultContentType", CONTENT_TYPE);
		List<Operation> operations = operations(service);
		Set<String> channels = new LinkedHashSet<>();
		if (service == null) {
			TopicCatalogue.entries().forEach((entry) -> channels.add(entry.name()));
		}
		operations.forEach((operation) -> channels.add(operation.topic()));
		ObjectNode channelNodes = document.putObject("channels");
		Set<String> messages = new LinkedHashSet<>();
		for (String topic : channels) {
			channelNodes.set(topic, channel(topic, messages));
		}
		ObjectNode operationNodes = document.putObject("operations");
		for (Operation operation : operations) {
			operationNodes.set(operation.id(), operation.node());
		}
		ObjectNode components = document.putObject("components");
		ObjectNode messageNodes = components.putObject("messages");
		for (String message : messages) {
			messageNodes.set(message, message(message));
		}
		ObjectNode security = components.putObject("securitySchemes");
		security.putObject("scram")
			.put("type", "scramSha512")
			.put("description", "Secure mode: SASL/SCRAM-SHA-512 over TLS, one principal per service, "
					+ "each allowed only what acls.txt lists.");
		return document;
	}

	private static void servers(ObjectNode servers) {
		servers.putObject("local")
			.put("host", "localhost:9092")
			.put("protocol", "kafka")
			.put("description", "The broker of ./run and docker compose in the open mode, on this machine only.");
		ObjectNode secure = servers.putObject("secure");
		secure.put("host", "localhost:9092")
			.put("protocol", "kafka-secure")
			.put("description", "./run --secure and docker-compose.secure.yml: TLS on every listener, "
					+ "SASL/SCRAM-SHA-512, and only what each principal's ACLs allow.");
		secure.putArray("security").addObject().put("$ref", "#/components/securitySchemes/scram");
	}

	/** The contract's version: the highest schema version of any event type. */
	private static String contractVersion() {
		int highest = 0;
		for (EventType type : EventType.values()) {
			highest = Math.max(highest, type.schemaVersion());
		}
		return highest + ".0.0";
	}

	private static ObjectNode channel(String topic, Set<String> messages) {
		TopicCatalogue.Entry entry = TopicCatalogue.entry(topic);
		ObjectNode channel = JSON.createObjectNode();
		channel.put("address", topic);
		if (topic.endsWith(Topic.DEAD_LETTER_SUFFIX)) {
			channel.put("description", "Records of " + sourceOf(topic)
					+ " that a service could not process, with the error's headers; read by people, not services.");
		}
		else if (Topic.forName(topic).isPresent()) {
			channel.put("description",
					"The saga's " + topic + ", keyed by the order id, keeping every record (the system of record).");
		}
		else {
			channel.put("description",
					String.join(", ", writers(topic)) + "'s own topic; its records are not part of the contract.");
		}
		ObjectNode messageRefs = channel.putObject("messages");
		for (String message : messagesOf(topic)) {
			messageRefs.putObject(message).put("$ref", "#/components/messages/" + message);
			messages.add(message);
		}
		ObjectNode kafka = channel.putObject("bindings").putObject("kafka");
		kafka.put("topic", topic).put("partitions", entry.partitions());
		if (!entry.configs().isEmpty()) {
			ObjectNode configuration = kafka.putObject("topicConfiguration");
			entry.configs().forEach((key, value) -> {
				if (key.equals("retention.ms")) {
					configuration.put(key, Long.parseLong(value));
				}
				else if (key.equals("cleanup.policy")) {
					configuration.putArray(key).add(value);
				}
			});
		}
		kafka.put("bindingVersion", KAFKA_BINDING);
		return channel;
	}

	private static String sourceOf(String deadLetterTopic) {
		return deadLetterTopic.substring(0, deadLetterTopic.length() - Topic.DEAD_LETTER_SUFFIX.length());
	}

	/**
	 * The messages on a topic: a dead-letter topic's dead letters, a saga topic's events,
	 * or the one record type of a topic private to a service.
	 */
	private static List<String> messagesOf(String topic) {
		if (topic.endsWith(Topic.DEAD_LETTER_SUFFIX)) {
			return List.of("DeadLetter");
		}
		return Topic.forName(topic)
			.map((saga) -> saga.eventTypes().stream().map(EventType::token).toList())
			.orElseGet(() -> List.of(internalMessage(topic)));
	}

	/** The message of a topic private to a service, named after the topic. */
	private static String internalMessage(String topic) {
		StringBuilder name = new StringBuilder();
		for (String part : topic.split("-")) {
			name.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
		}
		return name + "Record";
	}

	private static ObjectNode message(String name) {
		ObjectNode message = JSON.createObjectNode();
		message.put("name", name);
		Optional<EventType> type = EventType.forToken(name);
		if (type.isPresent()) {
			message.put("title", name + " v" + type.get().schemaVersion());
			message.put("contentType", CONTENT_TYPE);
			message.set("headers", headers(false));
			ObjectNode payload = message.putObject("payload");
			payload.put("schemaFormat", SCHEMA_FORMAT);
			// In draft 7, the schema format the document declares.
			payload.set("schema", JsonSchemas.current(type.get()));
			key(message, "The order id; one order's events stay in one partition, in order.");
		}
		else if (name.equals("DeadLetter")) {
			message.put("title", "A record that could not be processed");
			message.put("summary", "The record as it came (or, above 512 KiB, its start, with "
					+ "ordersaga_dlt-truncated saying what was left out), and the error's headers.");
			message.set("headers", headers(true));
			message.putObject("payload")
				.put("description", "The original record's value: possibly not JSON, possibly not an event.");
			key(message, "The original record's key.");
		}
		else {
			message.put("title", "A record private to its service");
			message.putObject("payload").put("type", "object").put("description", "Not part of the contract.");
			key(message, "Chosen by the owning service.");
		}
		return message;
	}

	private static void key(ObjectNode message, String description) {
		ObjectNode kafka = message.putObject("bindings").putObject("kafka");
		kafka.putObject("key").put("type", "string").put("description", description);
		kafka.put("bindingVersion", KAFKA_BINDING);
	}

	private static ObjectNode headers(boolean deadLetter) {
		ObjectNode headers = JSON.createObjectNode();
		headers.put("type", "object");
		ObjectNode properties = headers.putObject("properties");
		properties.putObject("content-type")
			.put("type", "string")
			.put("description", "The CloudEvents Kafka binding's content type: " + CONTENT_TYPE + ".");
		properties.putObject("traceparent")
			.put("type", "string")
			.put("description", "W3C trace context of the work that wrote the record, when traced.");
		if (deadLetter) {
			for (String header : DEAD_LETTER_HEADERS) {
				properties.putObject(header).put("type", "string");
			}
			properties.putObject("ordersaga_dlt-truncated")
				.put("type", "string")
				.put("description", "On a bounded copy: what was left out of the original record.");
		}
		return headers;
	}

	/** The principals that may write a topic: its senders. */
	private static List<String> writers(String topic) {
		return principals(topic, AclOperation.WRITE);
	}

	private static List<String> principals(String topic, AclOperation operation) {
		List<String> principals = new ArrayList<>();
		for (KafkaAccess.Rule rule : KafkaAccess.rules()) {
			if (rule.resourceType() == ResourceType.TOPIC && rule.patternType() == PatternType.LITERAL
					&& rule.name().equals(topic) && rule.operations().contains(operation)
					&& !principals.contains(rule.principal())) {
				principals.add(rule.principal());
			}
		}
		return principals;
	}

	private static List<Operation> operations(@Nullable String service) {
		List<Operation> operations = new ArrayList<>();
		for (TopicCatalogue.Entry entry : TopicCatalogue.entries()) {
			for (String writer : writers(entry.name())) {
				operations.add(new Operation(writer, "send", entry.name()));
			}
			// A dead-letter topic is read by people, not services.
			if (!entry.name().endsWith(Topic.DEAD_LETTER_SUFFIX)) {
				for (String reader : principals(entry.name(), AclOperation.READ)) {
					operations.add(new Operation(reader, "receive", entry.name()));
				}
			}
		}
		return operations.stream()
			.filter((operation) -> service == null || operation.service().equals(service))
			.toList();
	}

	/** One service sending on or receiving from one topic. */
	private record Operation(String service, String action, String topic) {

		String id() {
			return this.service + "-" + this.action + "s-" + this.topic;
		}

		ObjectNode node() {
			ObjectNode operation = JSON.createObjectNode();
			operation.put("action", this.action);
			operation.putObject("channel").put("$ref", "#/channels/" + this.topic);
			operation.put("summary", this.service + " " + this.action + "s "
					+ ("send".equals(this.action) ? "on " : "from ") + this.topic + ".");
			ArrayNode messages = operation.putArray("messages");
			for (String message : messagesOf(this.topic)) {
				messages.addObject().put("$ref", "#/channels/" + this.topic + "/messages/" + message);
			}
			return operation;
		}

	}

}
