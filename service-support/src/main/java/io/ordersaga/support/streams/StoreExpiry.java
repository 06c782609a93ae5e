package io.ordersaga.support.streams;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Removes the entries of a processor's state stores a while after they stop mattering: a
 * finished saga, a decision on an order, the ids of what was already done, kept only to
 * recognise a late duplicate. Each is marked when it is written, with the stream time
 * then plus the retention, in an index store whose keys sort by that time; a stream-time
 * punctuation removes what is due, one range scan however large the stores are.
 *
 * <p>
 * Stream time, not the wall clock: it advances with the records' own timestamps, so an
 * instance that was down for a week and reads its backlog still finds every entry that
 * the backlog refers to, instead of removing them all at its first punctuation.
 */
public final class StoreExpiry {

	/**
	 * How often, in stream time, the due entries are removed. Every second: the soak run
	 * showed a punctuation every minute removing a minute's entries at once (about 4,000
	 * per task at 200 orders/s, each a delete in two stores and their changelogs) holding
	 * the stream thread for a second, which put a 1 to 1.5 s spike in the saga's latency
	 * every minute.
	 */
	static final Duration INTERVAL = Duration.ofSeconds(1);

	/**
	 * How many entries one punctuation removes at most, so that none holds a thread long:
	 * 2,000 a second per task is more than a task's share of the suite's saturation
	 * throughput, so removal keeps up and a backlog of due entries goes in small steps.
	 */
	static final int MAX_PER_PUNCTUATION = 2_000;

	private final KeyValueStore<String, String> index;

	private final Duration retention;

	private final Map<String, KeyValueStore<String, ?>> stores;

	private StoreExpiry(KeyValueStore<String, String> index, Duration retention,
			Map<String, KeyValueStore<String, ?>> stores) {
		this.index = index;
		this.retention = retention;
		this.stores = stores;
	}

	/**
	 * The index store a processor's expiry keeps, to add to its topology.
	 * @param name the index store's name
	 * @return its builder
	 */
	public static StoreBuilder<KeyValueStore<String, String>> indexStore(String name) {
		return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.String());
	}

	/**
	 * Sets up the expiry of a processor's stores and schedules its punctuation, every
	 * second of stream time.
	 * @param context the processor's context
	 * @param indexStore the name of the index store
	 * @param retention how long after an entry is marked it is removed
	 * @param stores the stores whose entries may be marked, by name
	 * @return the expiry
	 */
	public static StoreExpiry schedule(ProcessingContext context, String indexStore, Duration retention,
			Map<String, KeyValueStore<String, ?>> stores) {
		StoreExpiry expiry = new StoreExpiry(context.getStateStore(indexStore), retention, Map.copyOf(stores));
		context.schedule(INTERVAL, PunctuationType.STREAM_TIME, expiry::removeDue);
		return expiry;
	}

	/**
	 * Marks an entry to be removed once stream time has passed a time plus the retention.
	 * Marking it again marks it for a later time too; the earliest mark removes it.
	 * @param store the entry's store
	 * @param key the entry's key
	 * @param streamTime the stream time now, in epoch milliseconds
	 */
	public void removeLater(String store, String key, long streamTime) {
		if (!this.stores.containsKey(store)) {
			throw new IllegalArgumentException("No store " + store + " to expire entries of");
		}
		this.index.put(timeKey(Math.max(0, streamTime) + this.retention.toMillis(), store + ":" + key), "");
	}

	/**
	 * Removes the entries due by a stream time.
	 * @param streamTime the stream time, in epoch milliseconds
	 * @return how many were removed
	 */
	int removeDue(long streamTime) {
		List<String> due = new ArrayList<>();
		try (KeyValueIterator<String, String> entries = this.index.range(null, timeKey(streamTime, "\uffff"))) {
			while (entries.hasNext() && due.size() < MAX_PER_PUNCTUATION) {
				KeyValue<String, String> entry = entries.next();
				due.add(entry.key);
			}
		}
		for (String indexKey : due) {
			String storeAndKey = indexKey.substring(indexKey.indexOf(':') + 1);
			int separator = storeAndKey.indexOf(':');
			KeyValueStore<String, ?> store = Objects
				.requireNonNull(this.stores.get(storeAndKey.substring(0, separator)), "store of " + indexKey);
			store.delete(storeAndKey.substring(separator + 1));
			this.index.delete(indexKey);
		}
		return due.size();
	}

	/**
	 * A key that sorts by time: the epoch milliseconds, zero-padded to 15 digits, then
	 * the rest. Padded by hand: {@code String.format} showed in the profile, and this
	 * runs for every order.
	 * @param epochMillis the time
	 * @param rest what follows, such as an order id
	 * @return for example {@code 001796430000000:5f0c6b1e-...}
	 */
	public static String timeKey(long epochMillis, String rest) {
		String millis = Long.toString(epochMillis);
		return "0".repeat(Math.max(0, 15 - millis.length())) + millis + ":" + rest;
	}

}
