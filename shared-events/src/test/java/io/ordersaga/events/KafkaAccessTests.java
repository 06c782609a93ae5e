package io.ordersaga.events;

import java.util.List;
import java.util.Set;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class KafkaAccessTests {

	private static final Set<String> SERVICES = Set.of("order-service", "payment-service", "notification-service");

	@Test
	void readsARuleAsOneAllowedEntryPerOperation() {
		List<KafkaAccess.Rule> rules = KafkaAccess.parse("""
				# a comment

				order-service Read,Write topic orders
				payment-service All transactional-id payment-service-*
				""");
		assertThat(rules).hasSize(2);
		assertThat(rules.get(0).bindings())
			.containsExactly(
					new AclBinding(new ResourcePattern(ResourceType.TOPIC, "orders", PatternType.LITERAL),
							new AccessControlEntry("User:order-service", "*", AclOperation.READ,
									AclPermissionType.ALLOW)),
					new AclBinding(new ResourcePattern(ResourceType.TOPIC, "orders", PatternType.LITERAL),
							new AccessControlEntry("User:order-service", "*", AclOperation.WRITE,
									AclPermissionType.ALLOW)));
		assertThat(rules.get(1)).isEqualTo(new KafkaAccess.Rule("payment-service", Set.of(AclOperation.ALL),
				ResourceType.TRANSACTIONAL_ID, "payment-service-", PatternType.PREFIXED));
		assertThat(KafkaAccess.parse("x DescribeConfigs topic t").get(0).operations())
			.containsExactly(AclOperation.DESCRIBE_CONFIGS);
	}

	@Test
	void namesWhatIsWrongWithALine() {
		assertThatIllegalArgumentException().isThrownBy(() -> KafkaAccess.parse("order-service Read topic"))
			.withMessage("Not '<principal> <operations> <resource type> <resource name>': order-service Read topic");
		assertThatIllegalArgumentException().isThrownBy(() -> KafkaAccess.parse("order-service Reed topic orders"))
			.withMessage("Not an operation of Kafka's: Reed in order-service Reed topic orders");
		assertThatIllegalArgumentException().isThrownBy(() -> KafkaAccess.parse("order-service Any topic orders"))
			.withMessage("Not an operation of Kafka's: Any in order-service Any topic orders");
		assertThatIllegalArgumentException().isThrownBy(() -> KafkaAccess.parse("order-service Read cluster x"))
			.withMessageStartingWith("Not a resource type (")
			.withMessageEndingWith("): cluster in order-service Read cluster x");
		assertThatIllegalArgumentException().isThrownBy(() -> KafkaAccess.parse("order-service Read topic *"))
			.withMessage("Not a name, or a prefix followed by *: * in order-service Read topic *");
	}

	@Test
	void givesEachServiceAPrincipalOfItsOwnAndNothingOfTheOthers() {
		assertThat(KafkaAccess.principals()).containsExactly("order-service", "payment-service",
				"notification-service");
		for (KafkaAccess.Rule rule : KafkaAccess.rules()) {
			if (rule.patternType() == PatternType.PREFIXED) {
				// Kafka Streams' group, internal topics and transactional ids, under the
				// service's own application id only.
				assertThat(rule.name()).as("%s", rule).startsWith(rule.principal());
				assertThat(rule.operations()).containsExactly(AclOperation.ALL);
			}
			else {
				assertThat(rule.resourceType()).isEqualTo(ResourceType.TOPIC);
				assertThat(TopicCatalogue.find(rule.name())).as("%s", rule).isPresent();
				assertThat(rule.operations()).as("%s", rule)
					.contains(AclOperation.DESCRIBE_CONFIGS)
					.isSubsetOf(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE_CONFIGS);
			}
		}
		for (String service : SERVICES) {
			assertThat(KafkaAccess.rules()).filteredOn((rule) -> rule.principal().equals(service))
				.extracting(KafkaAccess.Rule::resourceType)
				.contains(ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID);
		}
	}

	@Test
	void letsOnlyTheServiceThatOwnsATopicOfTheSagaWriteIt() {
		assertThat(writers("orders")).containsExactly("order-service");
		assertThat(writers("payments")).containsExactly("payment-service");
		assertThat(writers("notifications")).containsExactly("notification-service");
		assertThat(writers("payment-accounts")).containsExactly("payment-service");
	}

	private static List<String> writers(String topic) {
		return KafkaAccess.rules()
			.stream()
			.filter((rule) -> rule.name().equals(topic) && rule.patternType() == PatternType.LITERAL
					&& rule.operations().contains(AclOperation.WRITE))
			.map(KafkaAccess.Rule::principal)
			.toList();
	}

}
