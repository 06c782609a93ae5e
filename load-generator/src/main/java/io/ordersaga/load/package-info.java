/**
 * The load generator, the benchmark and the soak that drive a running suite and report
 * what they measured.
 */
@NullMarked
package io.ordersaga.load;

import org.jspecify.annotations.NullMarked;
