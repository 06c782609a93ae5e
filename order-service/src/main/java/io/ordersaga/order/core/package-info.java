/**
 * What every part of order-service shares: an order's status and the order metrics. It
 * depends on no other package of the service.
 */
@NullMarked
package io.ordersaga.order.core;

import org.jspecify.annotations.NullMarked;
