package io.ordersaga.support;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Makes sure the topics the application declares exist. {@link KafkaAdmin} creates them
 * once, while the context starts, and gives up when the broker is slow to answer (as on a
 * busy machine where several services start at once) or not there yet; then nothing would
 * ever create them and whatever reads them would wait forever. This tries again in the
 * background, with a growing pause, until every topic exists, and tells the health
 * endpoint meanwhile.
 */
public class TopicCreation implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(TopicCreation.class);

	private static final Duration FIRST_PAUSE = Duration.ofMillis(500);

	private static final Duration LONGEST_PAUSE = Duration.ofSeconds(10);

	private final KafkaAdmin admin;

	private volatile boolean done;

	private volatile boolean running;

	private volatile @Nullable Thread thread;

	public TopicCreation(KafkaAdmin admin) {
		this.admin = admin;
	}

	/**
	 * Whether every declared topic exists.
	 * @return {@code true} once they do
	 */
	public boolean isDone() {
		return this.done;
	}

	@Override
	public void start() {
		this.running = true;
		this.thread = Thread.ofPlatform().daemon().name("topic-creation").start(this::createUntilDone);
	}

	private void createUntilDone() {
		Duration pause = FIRST_PAUSE;
		int attempts = 0;
		while (this.running) {
			attempts++;
			// Creating a topic that exists is a no-op. Once the context has started,
			// KafkaAdmin reports a failure by throwing.
			String failure;
			try {
				if (this.admin.initialize()) {
					this.done = true;
					if (attempts > 1) {
						logger.info("Every topic exists, after {} attempts", attempts);
					}
					return;
				}
				failure = "see the error above";
			}
			catch (RuntimeException ex) {
				failure = (ex.getCause() != null) ? ex.getCause().toString() : ex.toString();
			}
			logger.warn("Could not make sure every topic exists ({}); trying again in {} ms", failure,
					pause.toMillis());
			try {
				Thread.sleep(pause);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			pause = (pause.multipliedBy(2).compareTo(LONGEST_PAUSE) < 0) ? pause.multipliedBy(2) : LONGEST_PAUSE;
		}
	}

	@Override
	public void stop() {
		this.running = false;
		Thread creating = this.thread;
		if (creating != null) {
			creating.interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
