package io.ordersaga.order;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.ordersaga.kafka.test.UseTestKafkaBroker;

import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole of order-service on the shared test broker. Every class with this annotation
 * shares one application context; tests stay independent by using their own orders.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.kafka.streams.state-dir=${java.io.tmpdir}/order-service-tests/${random.uuid}",
				"ordersaga.saga.payment-timeout=4s", "ordersaga.saga.payment-silence=2s",
				"ordersaga.saga.payment-grace=4s", "ordersaga.saga.timeout-check-interval=200ms" })
@AutoConfigureRestTestClient
@UseTestKafkaBroker
public @interface OrderServiceIntegrationTest {

}
