package io.ordersaga.events;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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
