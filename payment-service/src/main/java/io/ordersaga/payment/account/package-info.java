/**
 * Accounts: their balances and movements as kept on payment-service's topics, the
 * commands that change them, and the REST API that shows and credits them.
 */
@NullMarked
package io.ordersaga.payment.account;

import org.jspecify.annotations.NullMarked;
