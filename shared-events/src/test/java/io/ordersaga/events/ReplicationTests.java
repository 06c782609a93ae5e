package io.ordersaga.events;

import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ReplicationTests {

	@Test
	void leavesBothToTheClusterUnlessTheEnvironmentSaysOtherwise() {
		NewTopic orders = TopicCatalogue.entry("orders").newTopic(Replication.fromEnvironment(Map.of()));

		assertThat(orders.replicationFactor()).as("the brokers' default.replication.factor").isEqualTo((short) -1);
		assertThat(orders.numPartitions()).isEqualTo(3);
		assertThat(orders.configs()).containsExactlyEntriesOf(Map.of("retention.ms", "-1"));
	}

	@Test
	void takesTheFactorAndTheInSyncReplicasFromTheEnvironment() {
		Replication replication = Replication
			.fromEnvironment(Map.of("REPLICATION_FACTOR", " 3 ", "MIN_INSYNC_REPLICAS", "2"));
		NewTopic orders = TopicCatalogue.entry("orders").newTopic(replication);

		assertThat(orders.replicationFactor()).isEqualTo((short) 3);
		assertThat(orders.configs()).containsEntry("retention.ms", "-1").containsEntry("min.insync.replicas", "2");
		assertThat(Replication.fromEnvironment(Map.of("REPLICATION_FACTOR", "", "MIN_INSYNC_REPLICAS", "2")))
			.isEqualTo(new Replication(null, 2));
		assertThat(replication.factorOrDefault()).isEqualTo(Optional.of((short) 3));
	}

	@Test
	void refusesSettingsNoWriteCouldMeet() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Replication.fromEnvironment(Map.of("REPLICATION_FACTOR", "three")))
			.withMessage("REPLICATION_FACTOR must be a number, not 'three'");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Replication.fromEnvironment(Map.of("REPLICATION_FACTOR", "0")))
			.withMessageStartingWith("The replication factor must be at least 1");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Replication.fromEnvironment(Map.of("MIN_INSYNC_REPLICAS", "-1")))
			.withMessageStartingWith("min.insync.replicas must be at least 1");
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> Replication.fromEnvironment(Map.of("REPLICATION_FACTOR", "1", "MIN_INSYNC_REPLICAS", "2")))
			.withMessage(
					"min.insync.replicas (2) is more than the replication factor (1): no write could ever succeed");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Replication.fromEnvironment(Map.of("REPLICATION_FACTOR", "40000")))
			.withMessage("REPLICATION_FACTOR is too large: 40000");
	}

}
