/**
 * The event contract of the order saga: immutable records named as past-tense facts, the
 * versioned {@link io.ordersaga.events.EventEnvelope envelope} that carries them, the
 * {@link io.ordersaga.events.EventType registry of type tokens} and the
 * {@link io.ordersaga.events.Topic topic catalogue}.
 *
 * <p>
 * Every component of a record is required unless it is marked {@code @Nullable}; a schema
 * version may only add optional components (see {@code docs/architecture.md}).
 */
@NullMarked
package io.ordersaga.events;

import org.jspecify.annotations.NullMarked;
