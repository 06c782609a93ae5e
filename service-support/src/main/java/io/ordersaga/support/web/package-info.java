/**
 * The HTTP edge the services share: problem details for every kind of bad request, and
 * the constraints their requests use.
 */
@NullMarked
package io.ordersaga.support.web;

import org.jspecify.annotations.NullMarked;
