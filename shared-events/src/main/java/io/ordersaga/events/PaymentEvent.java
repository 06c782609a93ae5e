package io.ordersaga.events;

/** Events produced by payment-service on the {@link Topic#PAYMENTS payments} topic. */
public sealed interface PaymentEvent extends SagaEvent permits PaymentAuthorized, PaymentDeclined, PaymentRefunded {

}
