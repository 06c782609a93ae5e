package io.ordersaga.notification.webhook;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookConfiguredTests {

	private final ApplicationContextRunner context = new ApplicationContextRunner()
		.withUserConfiguration(WithWebhook.class);

	@Test
	void aWebhookUrlIsAPlainValueNeverAnExpression() {
		// Pasted into "!'${url}'.isBlank()", this sets a system property.
		String injected = "http://localhost/'.concat(T(java.lang.System).setProperty('ordersaga.injected','yes'))"
				+ "+'x";

		this.context.withPropertyValues(WebhookConfigured.PROPERTY + "=" + injected)
			.run((context) -> assertThat(context).hasSingleBean(WithWebhook.class));

		assertThat(System.getProperty("ordersaga.injected")).isNull();
	}

	@Test
	void noWebhookWithoutAUrl() {
		this.context.run((context) -> assertThat(context).doesNotHaveBean(WithWebhook.class));
		this.context.withPropertyValues(WebhookConfigured.PROPERTY + "= ")
			.run((context) -> assertThat(context).doesNotHaveBean(WithWebhook.class));
	}

	@Configuration(proxyBeanMethods = false)
	@Conditional(WebhookConfigured.class)
	static class WithWebhook {

	}

}
