package io.ordersaga.support.web;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The REST edge every service shares: strict JSON input (a wrong type or an unknown
 * property is a 400 naming the field, not a silent coercion), a body-size limit and
 * problem details for every error. Also listed for {@code @WebMvcTest} slices, so slice
 * tests see the same behaviour as the running service.
 */
@AutoConfiguration
@ConditionalOnWebApplication
@EnableConfigurationProperties(SagaWebProperties.class)
public class SagaWebAutoConfiguration {

	@Bean
	ApiExceptionHandler apiExceptionHandler() {
		return new ApiExceptionHandler();
	}

	@Bean
	KafkaWaits kafkaWaits(SagaWebProperties properties) {
		return new KafkaWaits(properties.maxKafkaWaits(), properties.kafkaCoolDown());
	}

	@Bean
	AsyncApiController asyncApiController(Environment environment) {
		return new AsyncApiController(environment.getProperty("spring.application.name", "application"));
	}

	@Bean
	RequestBodySizeLimit requestBodySizeLimit(SagaWebProperties properties) {
		return new RequestBodySizeLimit(properties.maxRequestBodySize());
	}

	@Bean
	JsonMapperBuilderCustomizer strictRequestBodies() {
		return (builder) -> builder.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
			.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
			.withCoercionConfig(LogicalType.Textual,
					(config) -> config.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
						.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
	}

}
