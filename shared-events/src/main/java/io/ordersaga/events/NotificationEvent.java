package io.ordersaga.events;

/**
 * Events produced by notification-service on the {@link Topic#NOTIFICATIONS
 * notifications} topic.
 */
public sealed interface NotificationEvent extends SagaEvent permits NotificationSent {

}
