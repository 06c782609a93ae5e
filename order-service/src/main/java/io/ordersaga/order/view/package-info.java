/**
 * The read side: each order's view and each customer's listings, rebuilt from the topics.
 */
@NullMarked
package io.ordersaga.order.view;

import org.jspecify.annotations.NullMarked;
