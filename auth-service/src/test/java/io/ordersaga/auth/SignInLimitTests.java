package io.ordersaga.auth;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bound on sign-ins checked at once: one checked, one waiting, the next refused at
 * once, before its password would be checked.
 */
class SignInLimitTests {

	private final SignInLimit limit = new SignInLimit(1, 1);

	@Test
	void aSignInBeyondTheCheckedAndTheWaitingOnesIsToldToComeBackWithoutBeingChecked() throws Exception {
		CountDownLatch checking = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch secondChecked = new CountDownLatch(1);
		try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
			Future<MockHttpServletResponse> first = clients.submit(() -> signIn(new MockFilterChain() {
				@Override
				public void doFilter(jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse response) {
					checking.countDown();
					await(release);
				}
			}));
			assertThat(checking.await(10, TimeUnit.SECONDS)).isTrue();
			Future<MockHttpServletResponse> second = clients.submit(() -> signIn(new MockFilterChain() {
				@Override
				public void doFilter(jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse response) {
					secondChecked.countDown();
				}
			}));
			// The second waits for its turn, holding the one waiting place: the third
			// finds none and is answered without reaching the chain.
			awaitWaiting(1);
			MockFilterChain third = new MockFilterChain();
			MockHttpServletResponse refused = signIn(third);
			assertThat(refused.getStatus()).isEqualTo(429);
			assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
			assertThat(refused.getContentAsString()).contains("\"error\":\"temporarily_unavailable\"");
			assertThat(third.getRequest()).isNull();
			assertThat(secondChecked.getCount()).isOne();

			release.countDown();
			assertThat(first.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
			assertThat(second.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
			assertThat(secondChecked.getCount()).isZero();
		}
		// Every place is free again.
		MockFilterChain later = new MockFilterChain();
		assertThat(signIn(later).getStatus()).isEqualTo(200);
		assertThat(later.getRequest()).isNotNull();
	}

	@Test
	void onlyPostsAreCounted() throws Exception {
		SignInLimit none = new SignInLimit(1, 0);
		MockHttpServletRequest page = new MockHttpServletRequest("GET", "/login");
		MockFilterChain chain = new MockFilterChain();
		none.doFilter(page, new MockHttpServletResponse(), chain);
		assertThat(chain.getRequest()).isSameAs(page);
	}

	private void awaitWaiting(int signIns) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (this.limit.waiting() != signIns) {
			assertThat(System.nanoTime()).as("a sign-in waiting for its turn").isLessThan(deadline);
			Thread.onSpinWait();
		}
	}

	private MockHttpServletResponse signIn(MockFilterChain chain) throws Exception {
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.limit.doFilter(post(), response, chain);
		return response;
	}

	private static MockHttpServletRequest post() {
		return new MockHttpServletRequest("POST", "/oauth2/token");
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
