/**
 * The recording topology: each final outcome of an order becomes one notification per
 * channel, exactly once.
 */
@NullMarked
package io.ordersaga.notification.recording;

import org.jspecify.annotations.NullMarked;
