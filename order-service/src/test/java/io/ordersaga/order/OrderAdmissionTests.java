package io.ordersaga.order;

import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ordersaga.order.view.OrderProjection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.mockito.Mockito.mock;

/** Settings of admission control a careless operator could get wrong. */
class OrderAdmissionTests {

	@Test
	void refusesToStartWithoutRoomForAnyOrder() {
		OrderProperties noRoom = new OrderProperties(Duration.ofSeconds(10), Duration.ofSeconds(5), 0);

		assertThatIllegalArgumentException()
			.isThrownBy(() -> new OrderAdmission(mock(OrderProjection.class), noRoom, new SimpleMeterRegistry()))
			.withMessage("ordersaga.orders.max-pending-orders must be at least 1, not 0: with no room, every order "
					+ "would be refused");
	}

}
