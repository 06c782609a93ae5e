/**
 * Runs the suite on a machine without Docker: a real Apache Kafka broker in KRaft mode,
 * started from the Kafka jars on Maven Central, and the services as separate processes.
 */
@NullMarked
package io.ordersaga.runner;

import org.jspecify.annotations.NullMarked;
