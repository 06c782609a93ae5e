/**
 * The one Kafka serializer and deserializer every service uses for the saga's events, and
 * the JSON codec behind them.
 */
@NullMarked
package io.ordersaga.events.kafka;

import org.jspecify.annotations.NullMarked;
