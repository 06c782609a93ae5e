/**
 * What the three services share, applied by auto-configuration: the topics of the
 * catalogue, Kafka in the health endpoint, dead-letter records and problem details for
 * bad requests.
 */
@NullMarked
package io.ordersaga.support;

import org.jspecify.annotations.NullMarked;
