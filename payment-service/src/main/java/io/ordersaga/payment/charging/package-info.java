/**
 * The charging topology: orders charged against accounts one customer at a time, refunds,
 * and the payment events, exactly once. Depends on {@code account}, never the reverse.
 */
@NullMarked
package io.ordersaga.payment.charging;

import org.jspecify.annotations.NullMarked;
