/**
 * The read side: every customer's notifications, by REST and as server-sent events.
 */
@NullMarked
package io.ordersaga.notification.feed;

import org.jspecify.annotations.NullMarked;
