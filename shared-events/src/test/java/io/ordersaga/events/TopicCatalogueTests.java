package io.ordersaga.events;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TopicCatalogueTests {

	@Test
	void listsEveryTopicWithItsDeadLetterTopic() {
		assertThat(Topic.allTopicNames()).containsExactly("orders", "orders-dlt", "payments", "payments-dlt",
				"notifications", "notifications-dlt");
	}

	@Test
	void givesEveryTopicThreePartitionsAndAtLeastOneEventType() {
		assertThat(Topic.values()).allSatisfy((topic) -> {
			assertThat(topic.partitions()).isEqualTo(3);
			assertThat(topic.eventTypes()).isNotEmpty();
		});
	}

	@Test
	void listsEverySagaTopicAndItsDeadLetterTopicWithTheSamePartitionCount() {
		for (Topic topic : Topic.values()) {
			assertThat(TopicCatalogue.entry(topic.deadLetterTopicName()).partitions()).isEqualTo(topic.partitions());
			// The system of record keeps every record; dead letters keep the default.
			assertThat(topic.configs()).isEqualTo(Topic.KEEP_EVERY_RECORD);
			assertThat(TopicCatalogue.entry(topic.deadLetterTopicName()).configs()).isEmpty();
		}
		assertThat(TopicCatalogue.entries()).extracting(TopicCatalogue.Entry::name)
			.doesNotHaveDuplicates()
			.containsSubsequence(Topic.allTopicNames())
			.contains("payment-accounts", "notification-webhooks-dlt");
		assertThat(TopicCatalogue.entry("payment-accounts").configs()).containsEntry("cleanup.policy", "compact");
	}

	@Test
	void readsOneTopicPerLineAndRefusesALineThatBreaksTheFormat() {
		assertThat(TopicCatalogue.parse("# comment\n\n  orders 3 retention.ms=-1 min.insync.replicas=2\nx-dlt 1\n"))
			.containsExactly(
					new TopicCatalogue.Entry("orders", 3, Map.of("retention.ms", "-1", "min.insync.replicas", "2")),
					new TopicCatalogue.Entry("x-dlt", 1, Map.of()));
		assertThatIllegalArgumentException().isThrownBy(() -> TopicCatalogue.parse("orders three"))
			.withMessageContaining("orders three");
		assertThatIllegalArgumentException().isThrownBy(() -> TopicCatalogue.parse("orders 0"));
		assertThatIllegalArgumentException().isThrownBy(() -> TopicCatalogue.parse("orders 3 retention.ms"))
			.withMessageContaining("retention.ms");
		assertThatIllegalArgumentException().isThrownBy(() -> TopicCatalogue.entry("shipments"))
			.withMessageContaining("shipments");
	}

	@Test
	void putsEachProducersEventsOnItsOwnTopic() {
		assertThat(Topic.ORDERS.eventTypes()).extracting(EventType::payloadType)
			.allMatch(OrderEvent.class::isAssignableFrom);
		assertThat(Topic.PAYMENTS.eventTypes()).extracting(EventType::payloadType)
			.allMatch(PaymentEvent.class::isAssignableFrom);
		assertThat(Topic.NOTIFICATIONS.eventTypes()).extracting(EventType::payloadType)
			.allMatch(NotificationEvent.class::isAssignableFrom);
	}

	@Test
	void resolvesTopicsAndTheirDeadLetterTopicsByName() {
		assertThat(Topic.forName("payments")).contains(Topic.PAYMENTS);
		assertThat(Topic.forName("payments-dlt")).contains(Topic.PAYMENTS);
		assertThat(Topic.forName("shipments")).isEmpty();
	}

	@Test
	void registersEveryEventRecordUnderAUniqueTypeToken() {
		List<Class<?>> records = new ArrayList<>();
		collectRecords(SagaEvent.class, records);

		assertThat(records).containsExactlyInAnyOrder(
				Arrays.stream(EventType.values()).map(EventType::payloadType).toArray(Class<?>[]::new));
		assertThat(EventType.values()).extracting(EventType::token).doesNotHaveDuplicates();
	}

	private static void collectRecords(Class<?> type, List<Class<?>> records) {
		if (type.isRecord()) {
			records.add(type);
		}
		Class<?>[] permitted = type.getPermittedSubclasses();
		if (permitted != null) {
			for (Class<?> subtype : permitted) {
				collectRecords(subtype, records);
			}
		}
	}

}
