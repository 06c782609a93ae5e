/**
 * Kafka Streams building blocks the services share: a processor that reads the contract's
 * events from raw records and continues their traces, what becomes of records that fail
 * (dead letters written by Kafka Streams' handlers inside the transaction, retries),
 * state expiry and the RocksDB memory bound.
 */
@NullMarked
package io.ordersaga.support.streams;

import org.jspecify.annotations.NullMarked;
