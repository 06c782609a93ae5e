/**
 * Kafka Streams building blocks the services share: a processor that reads the contract's
 * events from raw records, continues their traces and sends what it cannot read to the
 * dead-letter topic inside the same transaction.
 */
@NullMarked
package io.ordersaga.support.streams;

import org.jspecify.annotations.NullMarked;
