@NullMarked
package io.ordersaga.payment;

import org.jspecify.annotations.NullMarked;
