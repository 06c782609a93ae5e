package io.ordersaga.auth;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The suite's OpenID Connect issuer in secure mode: Spring Authorization Server with the
 * demo users (alice, bob and carol, customers, and an operator), the Swagger UI client
 * (authorization code with PKCE) and a command-line client. The three services check its
 * tokens as OAuth2 resource servers.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AuthServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(AuthServiceApplication.class, args);
	}

}
