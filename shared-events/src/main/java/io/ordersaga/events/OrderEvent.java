package io.ordersaga.events;

/** Events produced by order-service on the {@link Topic#ORDERS orders} topic. */
public sealed interface OrderEvent extends SagaEvent permits OrderPlaced, OrderConfirmed, OrderCancelled {

}
