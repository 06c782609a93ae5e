/**
 * The saga: each order followed to its end from its payment outcome or its timeout,
 * exactly once, in a Kafka Streams topology.
 */
@NullMarked
package io.ordersaga.order.saga;

import org.jspecify.annotations.NullMarked;
