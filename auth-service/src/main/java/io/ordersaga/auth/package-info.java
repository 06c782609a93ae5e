/**
 * The suite's OpenID Connect issuer: who the demo users are, which clients may ask for
 * tokens, and what a token says about its holder.
 */
@NullMarked
package io.ordersaga.auth;

import org.jspecify.annotations.NullMarked;
