package io.ordersaga.payment;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.ordersaga.kafka.test.UseTestKafkaBroker;

import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole of payment-service on the shared test broker. Every class with this
 * annotation shares one application context; tests stay independent by using their own
 * customers.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.kafka.streams.state-dir=${java.io.tmpdir}/payment-service-tests/${random.uuid}")
@AutoConfigureRestTestClient
@UseTestKafkaBroker
public @interface PaymentServiceIntegrationTest {

}
