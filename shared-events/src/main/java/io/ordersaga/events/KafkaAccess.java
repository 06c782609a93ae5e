package io.ordersaga.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.jspecify.annotations.Nullable;

/**
 * Who may do what on Kafka in secure mode, as {@code io/ordersaga/events/acls.txt} lists
 * it: one principal per service, each allowed only the topics, consumer groups and
 * transactional ids it needs. That file is the one list of rules: the one-command run and
 * compose's topic job apply it, and the tests check the broker's answers against it.
 * Anything it does not allow is denied; the admin principal, a super user, needs no rule.
 */
public final class KafkaAccess {

	/** Where the rules are, on the class path and in the repository under it. */
	public static final String RESOURCE = "io/ordersaga/events/acls.txt";

	/** The resource types a rule may name, as the file writes them. */
	private static final Map<String, ResourceType> RESOURCE_TYPES = Map.of("topic", ResourceType.TOPIC, "group",
			ResourceType.GROUP, "transactional-id", ResourceType.TRANSACTIONAL_ID);

	private static final List<Rule> RULES = load();

	private KafkaAccess() {
	}

	/**
	 * Every rule, in the file's order.
	 * @return the rules
	 */
	public static List<Rule> rules() {
		return RULES;
	}

	/**
	 * The principals the rules name: one per service.
	 * @return their names, in the order the file first names them
	 */
	public static Set<String> principals() {
		Set<String> principals = new LinkedHashSet<>();
		RULES.forEach((rule) -> principals.add(rule.principal()));
		return principals;
	}

	/**
	 * The topics a principal may read or write, by name.
	 * @param principal the principal
	 * @return the topics' names; none for a principal the rules do not name
	 */
	public static Set<String> topicsOf(String principal) {
		return topicsOf(principal, null);
	}

	/**
	 * The topics a principal may use for one operation, by name.
	 * @param principal the principal
	 * @param operation the operation, such as {@link AclOperation#READ}, or null for any
	 * @return the topics' names; none for a principal the rules do not name
	 */
	public static Set<String> topicsOf(String principal, @Nullable AclOperation operation) {
		Set<String> topics = new LinkedHashSet<>();
		for (Rule rule : RULES) {
			if (rule.principal().equals(principal) && rule.resourceType() == ResourceType.TOPIC
					&& rule.patternType() == PatternType.LITERAL
					&& (operation == null || rule.operations().contains(operation))) {
				topics.add(rule.name());
			}
		}
		return topics;
	}

	/**
	 * Every rule as the access control entries Kafka keeps.
	 * @return the bindings
	 */
	public static List<AclBinding> bindings() {
		return RULES.stream().flatMap((rule) -> rule.bindings().stream()).toList();
	}

	/**
	 * Gives the cluster every rule; one it has already is left as it is.
	 * @param admin a client of the cluster, as a principal allowed to change ACLs
	 * @param timeout how long to wait for the cluster
	 * @throws IllegalStateException if the cluster did not take them in time
	 */
	public static void apply(Admin admin, Duration timeout) {
		try {
			admin.createAcls(bindings()).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new IllegalStateException("Kafka refused the ACLs of " + RESOURCE + ": " + cause.getMessage(), cause);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("Kafka did not take the ACLs within " + timeout, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while applying the ACLs", ex);
		}
	}

	/**
	 * Reads rules: one per line, {@code <principal> <operations> <resource type>
	 * <resource name>}; blank lines and lines starting with {@code #} are skipped.
	 * @param text the rules
	 * @return them
	 * @throws IllegalArgumentException for a line that breaks the format
	 */
	static List<Rule> parse(String text) {
		List<Rule> rules = new ArrayList<>();
		for (String line : text.split("\n")) {
			String trimmed = line.strip();
			if (trimmed.isEmpty() || trimmed.startsWith("#")) {
				continue;
			}
			String[] fields = trimmed.split("\\s+");
			if (fields.length != 4) {
				throw new IllegalArgumentException(
						"Not '<principal> <operations> <resource type> <resource name>': " + line);
			}
			Set<AclOperation> operations = new LinkedHashSet<>();
			for (String operation : fields[1].split(",")) {
				operations.add(operation(operation, line));
			}
			ResourceType type = RESOURCE_TYPES.get(fields[2]);
			if (type == null) {
				throw new IllegalArgumentException("Not a resource type (" + String.join(", ", RESOURCE_TYPES.keySet())
						+ "): " + fields[2] + " in " + line);
			}
			String name = fields[3];
			boolean prefixed = name.endsWith("*");
			if (prefixed) {
				name = name.substring(0, name.length() - 1);
			}
			if (name.isEmpty() || name.contains("*")) {
				throw new IllegalArgumentException(
						"Not a name, or a prefix followed by *: " + fields[3] + " in " + line);
			}
			rules.add(
					new Rule(fields[0], operations, type, name, prefixed ? PatternType.PREFIXED : PatternType.LITERAL));
		}
		return List.copyOf(rules);
	}

	/** An operation as Kafka's tools write it ({@code Read}, {@code DescribeConfigs}). */
	private static AclOperation operation(String name, String line) {
		String constant = name.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
		try {
			AclOperation operation = AclOperation.valueOf(constant);
			if (operation != AclOperation.ANY && operation != AclOperation.UNKNOWN) {
				return operation;
			}
		}
		catch (IllegalArgumentException ex) {
			// said below
		}
		throw new IllegalArgumentException("Not an operation of Kafka's: " + name + " in " + line);
	}

	private static List<Rule> load() {
		try (InputStream in = Objects.requireNonNull(KafkaAccess.class.getClassLoader().getResourceAsStream(RESOURCE),
				RESOURCE)) {
			return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * What one principal may do on one resource, or on every resource whose name starts
	 * with a prefix.
	 *
	 * @param principal the principal's name, such as {@code order-service}
	 * @param operations what it may do
	 * @param resourceType a topic, a group or a transactional id
	 * @param name the resource's name, or the prefix
	 * @param patternType {@link PatternType#LITERAL} or {@link PatternType#PREFIXED}
	 */
	public record Rule(String principal, Set<AclOperation> operations, ResourceType resourceType, String name,
			PatternType patternType) {

		public Rule {
			operations = Set.copyOf(operations);
		}

		/**
		 * The rule as the access control entries Kafka keeps: one per operation, allowed
		 * from any host.
		 * @return the bindings
		 */
		public List<AclBinding> bindings() {
			ResourcePattern resource = new ResourcePattern(this.resourceType, this.name, this.patternType);
			return this.operations.stream()
				.sorted()
				.map((operation) -> new AclBinding(resource,
						new AccessControlEntry("User:" + this.principal, "*", operation, AclPermissionType.ALLOW)))
				.toList();
		}

	}

}
