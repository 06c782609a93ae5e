@NullMarked
package io.ordersaga.notification;

import org.jspecify.annotations.NullMarked;
