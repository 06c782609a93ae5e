@NullMarked
package io.ordersaga.order;

import org.jspecify.annotations.NullMarked;
