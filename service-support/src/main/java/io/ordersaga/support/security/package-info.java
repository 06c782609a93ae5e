/**
 * Who may call the services' APIs: open (the local demo, bound to this machine) or, in
 * secure mode, OAuth2 resource servers that check the suite issuer's JWTs and let a
 * customer see and spend only their own.
 */
@NullMarked
package io.ordersaga.support.security;

import org.jspecify.annotations.NullMarked;
