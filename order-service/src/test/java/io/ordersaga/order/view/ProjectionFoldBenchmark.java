package io.ordersaga.order.view;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.UUID;

import com.sun.management.OperatingSystemMXBean;
import io.ordersaga.events.EventEnvelope;
import io.ordersaga.events.LineItem;
import io.ordersaga.events.OrderConfirmed;
import io.ordersaga.events.OrderPlaced;
import io.ordersaga.events.PaymentAuthorized;
import io.ordersaga.events.SagaEvent;
import io.ordersaga.events.kafka.EventCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/**
 * Not a test (its name keeps it out of the test run): measures how long order-service's
 * projection takes to fold one order's three events ({@code OrderPlaced},
 * {@code PaymentAuthorized}, {@code OrderConfirmed}), with the saga a few orders behind
 * the orders placed and far behind them, as at saturation. No broker: the records are
 * folded as a poll would hand them over, 500 at a time. Run with:
 *
 * <pre>
 * ./mvnw -pl order-service -am test -Dtest=ProjectionFoldBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * {@code -Dorders=} sizes it.
 *
 * <p>
 * {@code -Dtest=ProjectionFoldBenchmark#cpuPerOrderAsTheModelGrows} measures, instead,
 * the CPU the whole process spends per order (RocksDB's background compaction included)
 * as one projection folds {@code -Dhistory=} orders (400,000 unless set),
 * {@value #SEGMENT} at a time: whether what an order costs grows with the orders placed
 * before it.
 */
class ProjectionFoldBenchmark {

	private static final int BATCH = 500;

	private static final int ROUNDS = 7;

	private static final int SEGMENT = 50_000;

	@Test
	void foldCostPerOrder() {
		int orders = Integer.getInteger("orders", 40_000);
		for (int lag : new int[] { 100, 20_000 }) {
			double best = Double.MAX_VALUE;
			for (int round = 0; round < ROUNDS; round++) {
				best = Math.min(best, microsPerOrder(records(orders, lag)));
			}
			System.out.printf("projection fold, saga %,d orders behind: %.1f µs per order (best of %d rounds of %,d)%n",
					lag, best, ROUNDS, orders);
		}
	}

	@Test
	void cpuPerOrderAsTheModelGrows() {
		int history = Integer.getInteger("history", 400_000);
		OperatingSystemMXBean process = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
		try (OrderProjection projection = new OrderProjection(new KafkaProperties(), Duration.ofSeconds(30),
				Duration.ofSeconds(60))) {
			for (int folded = 0; folded < history; folded += SEGMENT) {
				List<ConsumerRecord<String, byte[]>> records = records(SEGMENT, 100);
				long cpu = process.getProcessCpuTime();
				for (int from = 0; from < records.size(); from += BATCH) {
					projection.apply(records.subList(from, Math.min(records.size(), from + BATCH)));
				}
				System.out.printf("projection fold, orders %,d to %,d: %.1f µs of the process's CPU per order%n",
						folded, folded + SEGMENT, (process.getProcessCpuTime() - cpu) / 1000.0 / SEGMENT);
			}
		}
	}

	private static double microsPerOrder(List<ConsumerRecord<String, byte[]>> records) {
		try (OrderProjection projection = new OrderProjection(new KafkaProperties(), Duration.ofSeconds(30),
				Duration.ofSeconds(60))) {
			long start = System.nanoTime();
			for (int from = 0; from < records.size(); from += BATCH) {
				projection.apply(records.subList(from, Math.min(records.size(), from + BATCH)));
			}
			return (System.nanoTime() - start) / 1000.0 / (records.size() / 3.0);
		}
	}

	/**
	 * The events of some orders as the projection reads them: each order placed, then its
	 * payment and confirmation once {@code lag} more orders have been placed.
	 */
	private static List<ConsumerRecord<String, byte[]>> records(int orders, int lag) {
		List<EventEnvelope<OrderPlaced>> placed = new ArrayList<>();
		List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
		for (int i = 0; i < orders + lag; i++) {
			if (i < orders) {
				EventEnvelope<OrderPlaced> order = EventEnvelope.first("/order-service", UUID.randomUUID(),
						OrderPlaced.of("customer-" + (i % 200), Currency.getInstance("EUR"),
								List.of(new LineItem("BOOK-1", 1, new BigDecimal("12.50")),
										new LineItem("PEN-2", 3, new BigDecimal("1.99")))));
				placed.add(order);
				records.add(record(records.size(), order));
			}
			if (i >= lag) {
				EventEnvelope<OrderPlaced> order = placed.get(i - lag);
				OrderPlaced data = order.data();
				records.add(record(records.size(), order.causes("/payment-service",
						new PaymentAuthorized(data.customerId(), data.total(), data.currency()))));
				records.add(record(records.size(), order.causes("/order-service",
						new OrderConfirmed(data.customerId(), data.total(), data.currency()))));
			}
		}
		return records;
	}

	private static ConsumerRecord<String, byte[]> record(long offset, EventEnvelope<? extends SagaEvent> event) {
		return new ConsumerRecord<>(event.topicName(), 0, offset, event.key(), EventCodec.instance().encode(event));
	}

}
