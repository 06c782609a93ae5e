/**
 * One real Kafka broker per test JVM, shared by every integration test of a module.
 *
 * <p>
 * By default the broker is spring-kafka-test's in-process KRaft broker, configured for
 * transactions. With {@code -Dordersaga.test.kafka=container} the same tests run against
 * Testcontainers' {@code apache/kafka} image instead, where a Docker engine exists.
 */
@NullMarked
package io.ordersaga.kafka.test;

import org.jspecify.annotations.NullMarked;
