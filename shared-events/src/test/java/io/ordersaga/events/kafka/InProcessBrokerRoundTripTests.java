package io.ordersaga.events.kafka;

import io.ordersaga.kafka.test.TestKafkaBroker;

/** The round trip on the shared test broker (in-process KRaft unless told otherwise). */
class InProcessBrokerRoundTripTests extends EventRoundTripContract {

	@Override
	String bootstrapServers() {
		return TestKafkaBroker.bootstrapServers();
	}

}
