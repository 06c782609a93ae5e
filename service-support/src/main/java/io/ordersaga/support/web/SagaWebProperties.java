package io.ordersaga.support.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the services' REST APIs.
 *
 * @param maxRequestBodySize the largest request body accepted; larger ones get 413
 */
@ConfigurationProperties("ordersaga.web")
public record SagaWebProperties(@DefaultValue("64KB") DataSize maxRequestBodySize) {

}
