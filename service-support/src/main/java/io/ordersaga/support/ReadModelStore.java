package io.ordersaga.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import io.ordersaga.support.streams.BoundedRocksDbMemory;
import io.ordersaga.support.streams.StateSerdes;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.Serde;
import org.jspecify.annotations.Nullable;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompactionStyle;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The state of a {@link TopicFollower}'s read model, on disk: a RocksDB database with the
 * same memory budget as the services' Kafka Streams stores, so that a read model holds
 * any number of orders or notifications without growing the heap. Next to the model it
 * keeps how far the follower has read each partition, written in the same atomic batch as
 * the changes of each poll's records, so a restarted instance resumes where it stopped
 * instead of replaying the topics, and a crash at any instant leaves model and positions
 * consistent.
 *
 * <p>
 * The model is made of {@link #table tables} of JSON values keyed by id and of
 * {@link #listings listings}, ids ordered newest first under an owner such as a customer.
 * Any thread may read; only the follower's thread writes, while it folds the records of a
 * poll, and the store writes them to the database together with the positions after the
 * poll. A table's values are seen as soon as they are written; a listing's once written
 * to the database.
 */
public final class ReadModelStore implements AutoCloseable {

	/** The first byte of the keys the store keeps for itself; tables use letters. */
	private static final byte META = 0;

	private static final byte[] TOPIC_ID = { META, 't' };

	private static final byte[] POSITION = { META, 'p' };

	private static final byte[] LAYOUT = { META, 'l' };

	private static final byte[] COUNT = { META, 'n' };

	/**
	 * The version of the way this class lays out keys and values. A store written in
	 * another layout is cleared when its follower {@link #resume resumes}, so it replays
	 * the topics instead of misreading what an older version wrote. 2: listings keep
	 * counts.
	 */
	static final int FORMAT = 2;

	static {
		RocksDB.loadLibrary();
	}

	private final Path directory;

	private final boolean temporary;

	private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

	private final Options options;

	private final WriteOptions writeOptions = new WriteOptions();

	/**
	 * The changes of the records folded since the last commit; the follower's thread
	 * only.
	 */
	private final WriteBatch pending = new WriteBatch();

	private final List<Table<?>> tables = new CopyOnWriteArrayList<>();

	private final List<Listings> listings = new CopyOnWriteArrayList<>();

	private @Nullable RocksDB db;

	private ReadModelStore(Path directory, boolean temporary) {
		this.directory = directory;
		this.temporary = temporary;
		this.options = new Options().setCreateIfMissing(true);
		BlockBasedTableConfig table = new BlockBasedTableConfig().setFilterPolicy(new BloomFilter(10));
		this.options.setTableFormatConfig(table);
		new BoundedRocksDbMemory().setConfig(directory.getFileName().toString(), this.options, Map.of());
		// Index and filter blocks stay out of the shared cache: a lookup of an id that is
		// not there (every new order) must not read them from disk, and they are small.
		table.setCacheIndexAndFilterBlocks(false);
		this.options.setTableFormatConfig(table);
		// Merged run by run, as Kafka Streams does with its own stores, not level
		// by level (RocksDB's default). The model keeps every order under a random
		// id, so each small flush overlapped every key of the level below and each
		// compaction rewrote all of it: the CPU per order grew with the orders ever
		// placed. After six saturation runs (60 MB, about 150,000 orders) compaction
		// took a sixth of a core of order-service and had written 732 MB in 16.9 s of
		// CPU; run by run, 262 MB in 6.6 s (docs/benchmarks.md). A store compacted
		// level by level before opens as it is, as long as the number of levels stays
		// RocksDB's seven, which such a store may use.
		this.options.setCompactionStyle(CompactionStyle.UNIVERSAL);
		this.db = openDatabase();
	}

	/**
	 * Opens the store in a directory, creating it if needed.
	 * @param directory where the database lives; one follower per directory
	 * @return the store
	 * @throws IllegalStateException if the database cannot be opened, for example because
	 * another process has it open
	 */
	public static ReadModelStore open(Path directory) {
		try {
			Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create the read model's directory " + directory, ex);
		}
		return new ReadModelStore(directory, false);
	}

	/**
	 * Opens a store in a new temporary directory, deleted on {@link #close}: for a
	 * follower that has no state directory configured, which then replays the topics
	 * after every start.
	 * @param name the prefix of the directory's name
	 * @return the store
	 */
	public static ReadModelStore temporary(String name) {
		try {
			return new ReadModelStore(Files.createTempDirectory(name), true);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create a temporary directory for the read model " + name, ex);
		}
	}

	/** Where the database lives. */
	Path directory() {
		return this.directory;
	}

	/**
	 * A table of JSON values by id. The values written last are also kept on the heap, a
	 * few thousand at most, since the next events of an order come soon after the first.
	 * @param <V> the type of the values
	 * @param prefix the letter that sets the table's keys apart from the others'
	 * @param type the class of the values
	 * @return the table
	 */
	public <V> Table<V> table(char prefix, Class<V> type) {
		Table<V> table = new Table<>(prefixOf(prefix), StateSerdes.json(type));
		this.tables.add(table);
		return table;
	}

	/**
	 * A listing of ids by owner, newest first.
	 * @param prefix the letter that sets the listing's keys apart from the others'
	 * @return the listing
	 */
	public Listings listings(char prefix) {
		Listings listing = new Listings(prefixOf(prefix));
		this.listings.add(listing);
		return listing;
	}

	private static byte prefixOf(char prefix) {
		if (prefix < 'A' || prefix > 'z') {
			throw new IllegalArgumentException("A table's prefix is a letter, not '" + prefix + "'");
		}
		return (byte) prefix;
	}

	/**
	 * Where the follower stopped reading, for topics that are still the ones it read. If
	 * any topic was deleted and created again since (its id changed), the model describes
	 * records that are gone, so the store forgets everything and the follower replays the
	 * topics from the beginning. It does the same if the model was written in another
	 * layout, by an older version of the store or of the follower's model.
	 * @param topicIds the current id of each topic the follower reads
	 * @param modelVersion the version of the follower's model
	 * @return the position to resume from on each partition read before
	 */
	Map<TopicPartition, Long> resume(Map<String, Uuid> topicIds, int modelVersion) {
		byte[] layout = utf8(FORMAT + "." + modelVersion);
		boolean current = Arrays.equals(layout, read(() -> database().get(LAYOUT)));
		for (Map.Entry<String, Uuid> topic : topicIds.entrySet()) {
			byte[] known = read(() -> database().get(concat(TOPIC_ID, utf8(topic.getKey()))));
			if (known != null && !topic.getValue().toString().equals(new String(known, StandardCharsets.UTF_8))) {
				current = false;
			}
		}
		if (!current) {
			clear();
		}
		Map<TopicPartition, Long> positions = new HashMap<>();
		this.lock.readLock().lock();
		try (RocksIterator entries = database().newIterator()) {
			for (entries.seek(POSITION); entries.isValid() && startsWith(entries.key(), POSITION); entries.next()) {
				ByteBuffer key = ByteBuffer.wrap(entries.key(), POSITION.length,
						entries.key().length - POSITION.length);
				int partition = key.getInt();
				String topic = StandardCharsets.UTF_8.decode(key).toString();
				positions.put(new TopicPartition(topic, partition), ByteBuffer.wrap(entries.value()).getLong());
			}
		}
		finally {
			this.lock.readLock().unlock();
		}
		try (WriteBatch ids = new WriteBatch()) {
			ids.put(LAYOUT, layout);
			for (Map.Entry<String, Uuid> topic : topicIds.entrySet()) {
				ids.put(concat(TOPIC_ID, utf8(topic.getKey())), utf8(topic.getValue().toString()));
			}
			write(ids);
		}
		catch (RocksDBException ex) {
			throw failure(ex);
		}
		return positions;
	}

	/**
	 * Writes the changes made since the last commit together with the partitions' new
	 * positions, atomically.
	 * @param positions the offset after the last record read from each partition that
	 * moved
	 */
	void commit(Map<TopicPartition, Long> positions) {
		try {
			for (Map.Entry<TopicPartition, Long> position : positions.entrySet()) {
				this.pending.put(positionKey(position.getKey()),
						ByteBuffer.allocate(Long.BYTES).putLong(position.getValue()).array());
			}
			for (Listings listing : this.listings) {
				listing.commitCounts();
			}
			write(this.pending);
			this.pending.clear();
			this.tables.forEach(Table::committed);
		}
		catch (RocksDBException ex) {
			throw failure(ex);
		}
	}

	/**
	 * Forgets the changes made since the last commit, after a failure, so the records
	 * they came from can be folded again.
	 */
	void discardPending() {
		this.pending.clear();
		this.tables.forEach(Table::discard);
		this.listings.forEach(Listings::discard);
	}

	private static byte[] positionKey(TopicPartition partition) {
		byte[] topic = utf8(partition.topic());
		return ByteBuffer.allocate(POSITION.length + Integer.BYTES + topic.length)
			.put(POSITION)
			.putInt(partition.partition())
			.put(topic)
			.array();
	}

	private void write(WriteBatch batch) throws RocksDBException {
		this.lock.readLock().lock();
		try {
			database().write(this.writeOptions, batch);
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	private void clear() {
		this.lock.writeLock().lock();
		try {
			database().close();
			RocksDB.destroyDB(this.directory.toString(), this.options);
			this.db = openDatabase();
			this.tables.forEach(Table::forget);
			this.listings.forEach(Listings::discard);
		}
		catch (RocksDBException ex) {
			throw failure(ex);
		}
		finally {
			this.lock.writeLock().unlock();
		}
	}

	private RocksDB openDatabase() {
		try {
			return RocksDB.open(this.options, this.directory.toString());
		}
		catch (RocksDBException ex) {
			throw new IllegalStateException("Could not open the read model in " + this.directory
					+ " (is another instance using the same state directory?): " + ex.getMessage(), ex);
		}
	}

	private RocksDB database() {
		RocksDB open = this.db;
		if (open == null) {
			throw new IllegalStateException("The read model in " + this.directory + " is closed");
		}
		return open;
	}

	private <T> T read(RocksRead<T> read) {
		this.lock.readLock().lock();
		try {
			return read.run();
		}
		catch (RocksDBException ex) {
			throw failure(ex);
		}
		finally {
			this.lock.readLock().unlock();
		}
	}

	private IllegalStateException failure(RocksDBException ex) {
		return new IllegalStateException("The read model in " + this.directory + " failed: " + ex.getMessage(), ex);
	}

	@Override
	public void close() {
		this.lock.writeLock().lock();
		try {
			if (this.db != null) {
				this.db.close();
				this.db = null;
				this.pending.close();
				this.writeOptions.close();
				this.options.close();
				if (this.temporary) {
					RocksDB.destroyDB(this.directory.toString(), new Options());
					Files.deleteIfExists(this.directory);
				}
			}
		}
		catch (RocksDBException | IOException ex) {
			throw new IllegalStateException("Could not delete the read model in " + this.directory, ex);
		}
		finally {
			this.lock.writeLock().unlock();
		}
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] both = Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

	private static boolean startsWith(byte[] key, byte[] prefix) {
		return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
	}

	private static byte[] uuid(byte[] prefix, UUID id) {
		return ByteBuffer.allocate(prefix.length + 16)
			.put(prefix)
			.putLong(id.getMostSignificantBits())
			.putLong(id.getLeastSignificantBits())
			.array();
	}

	private static UUID uuidAt(byte[] key, int offset) {
		ByteBuffer buffer = ByteBuffer.wrap(key, offset, 16);
		return new UUID(buffer.getLong(), buffer.getLong());
	}

	@FunctionalInterface
	private interface RocksRead<T> {

		T run() throws RocksDBException;

	}

	/**
	 * JSON values by id.
	 *
	 * @param <V> the type of the values
	 */
	public final class Table<V> {

		/** How many of the values written last stay on the heap. */
		static final int RECENT = 4096;

		/** Stands for a removed value in {@link #pending}. */
		private static final Object REMOVED = new Object();

		private final byte[] prefix;

		private final Serde<V> serde;

		private final LongAdder lookedUp = new LongAdder();

		/** The values written since the last commit, or {@link #REMOVED}. */
		private final Map<UUID, Object> pending = new ConcurrentHashMap<>();

		/** The values committed or read last, least recently used first. */
		private final Map<UUID, V> recent = Collections.synchronizedMap(new LinkedHashMap<>(RECENT * 2, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<UUID, V> eldest) {
				return size() > RECENT;
			}

		});

		private Table(byte prefix, Serde<V> serde) {
			this.prefix = new byte[] { prefix };
			this.serde = serde;
		}

		/**
		 * The value of an id, including the changes of the records folded since the last
		 * commit.
		 * @param id the id
		 * @return the value, or {@code null} if there is none
		 */
		public @Nullable V get(UUID id) {
			return getAll(List.of(id)).get(0);
		}

		/**
		 * The values of some ids, in their order.
		 * @param ids the ids
		 * @return the values, {@code null} where an id has none
		 */
		@SuppressWarnings("unchecked")
		public List<@Nullable V> getAll(List<UUID> ids) {
			this.lookedUp.add(ids.size());
			List<@Nullable V> values = new ArrayList<>(ids.size());
			List<Integer> missing = new ArrayList<>();
			for (UUID id : ids) {
				Object value = this.pending.get(id);
				if (value == null) {
					value = this.recent.get(id);
				}
				if (value == null) {
					missing.add(values.size());
				}
				values.add((value == REMOVED) ? null : (V) value);
			}
			if (!missing.isEmpty()) {
				List<byte[]> keys = missing.stream().map((index) -> uuid(this.prefix, ids.get(index))).toList();
				// A multi-get costs more than a get for one key.
				List<byte[]> stored = (keys.size() == 1)
						? Collections.singletonList(read(() -> database().get(keys.get(0))))
						: read(() -> database().multiGetAsList(keys));
				for (int i = 0; i < missing.size(); i++) {
					byte[] value = stored.get(i);
					values.set(missing.get(i),
							(value != null) ? this.serde.deserializer().deserialize(null, value) : null);
				}
			}
			return values;
		}

		/**
		 * How many values were asked for since the table was made, whether found on the
		 * heap or in the database: what a read of the model costs.
		 * @return the number of values asked for
		 */
		public long valuesLookedUp() {
			return this.lookedUp.sum();
		}

		/**
		 * Sets the value of an id. The follower's thread only.
		 * @param id the id
		 * @param value the value
		 */
		public void put(UUID id, V value) {
			pendingWrite(() -> ReadModelStore.this.pending.put(uuid(this.prefix, id),
					this.serde.serializer().serialize(null, value)));
			this.pending.put(id, value);
		}

		/**
		 * Removes the value of an id. The follower's thread only.
		 * @param id the id
		 */
		public void remove(UUID id) {
			pendingWrite(() -> ReadModelStore.this.pending.delete(uuid(this.prefix, id)));
			this.pending.put(id, REMOVED);
		}

		private void discard() {
			this.pending.clear();
		}

		private void forget() {
			this.pending.clear();
			this.recent.clear();
		}

		/** Moves the values just written to the database to the recent ones. */
		@SuppressWarnings("unchecked")
		private void committed() {
			for (Map.Entry<UUID, Object> written : this.pending.entrySet()) {
				if (written.getValue() == REMOVED) {
					this.recent.remove(written.getKey());
				}
				else {
					this.recent.put(written.getKey(), (V) written.getValue());
				}
			}
			this.pending.clear();
		}

	}

	/**
	 * Ids by owner, newest first, then by id, with the number of ids of each owner kept
	 * beside them so that a page and its total cost a read of the page only.
	 */
	public final class Listings {

		private final byte prefix;

		/**
		 * How the count of each owner changed since the last commit; the follower's
		 * thread only.
		 */
		private final Map<String, Long> countChanges = new HashMap<>();

		private Listings(byte prefix) {
			this.prefix = prefix;
		}

		/**
		 * Lists an id under its owner once the changes are committed. The follower's
		 * thread only; it adds each id to an owner once.
		 * @param owner the owner, such as a customer's id
		 * @param time where the id goes: newer ones come first
		 * @param id the id
		 */
		public void add(String owner, Instant time, UUID id) {
			byte[] key = entryKey(owner, time, id);
			pendingWrite(() -> ReadModelStore.this.pending.put(key, new byte[0]));
			this.countChanges.merge(owner, 1L, Long::sum);
		}

		/**
		 * Takes an id added before off its owner's listing once the changes are
		 * committed, at most once. The follower's thread only.
		 * <p>
		 * Every key of a listing is written once and removed at most once, so it is
		 * removed with a single delete: RocksDB drops the removal together with the key
		 * as soon as the two meet, in a flush or any merge. A plain delete stayed as a
		 * marker until a merge of the oldest data, and a listing's page passed over every
		 * marker of its owner: once merged run by run, a page of the pending orders of a
		 * customer with 300,000 orders, nearly all ended, took up to 13.5 ms, and 0.4 to
		 * 0.7 ms with single deletes ({@code ListingPageBenchmark}).
		 * @param owner the owner
		 * @param time the time the id was added with
		 * @param id the id
		 */
		public void remove(String owner, Instant time, UUID id) {
			byte[] key = entryKey(owner, time, id);
			pendingWrite(() -> ReadModelStore.this.pending.singleDelete(key));
			this.countChanges.merge(owner, -1L, Long::sum);
		}

		/**
		 * The newest ids listed under an owner, as of the last commit.
		 * @param owner the owner
		 * @param limit how many at most
		 * @return its ids, newest first
		 */
		public List<UUID> of(String owner, long limit) {
			return page(owner, 0, limit).ids();
		}

		/**
		 * Some of the ids listed under an owner and how many there are, both as of the
		 * same commit. It reads the keys before the page, but no value.
		 * @param owner the owner
		 * @param skip how many of the newest ids to pass over
		 * @param limit how many ids at most
		 * @return the ids, newest first, and the owner's total
		 */
		public Page page(String owner, long skip, long limit) {
			byte[] ownerPrefix = ownerPrefix(owner);
			List<UUID> ids = new ArrayList<>();
			ReadModelStore.this.lock.readLock().lock();
			RocksDB database = database();
			Snapshot snapshot = database.getSnapshot();
			try (ReadOptions atSnapshot = new ReadOptions().setSnapshot(snapshot);
					RocksIterator entries = database.newIterator(atSnapshot)) {
				byte[] count = database.get(atSnapshot, concat(COUNT, ownerPrefix));
				long passed = 0;
				for (entries.seek(ownerPrefix); entries.isValid() && ids.size() < limit; entries.next()) {
					byte[] key = entries.key();
					if (!startsWith(key, ownerPrefix)) {
						break;
					}
					if (passed++ >= skip) {
						ids.add(uuidAt(key, key.length - 16));
					}
				}
				return new Page(ids, (count != null) ? ByteBuffer.wrap(count).getLong() : 0);
			}
			catch (RocksDBException ex) {
				throw failure(ex);
			}
			finally {
				database.releaseSnapshot(snapshot);
				ReadModelStore.this.lock.readLock().unlock();
			}
		}

		/** Adds the new counts to the changes to commit. */
		private void commitCounts() throws RocksDBException {
			for (Map.Entry<String, Long> change : this.countChanges.entrySet()) {
				byte[] key = concat(COUNT, ownerPrefix(change.getKey()));
				byte[] stored = read(() -> database().get(key));
				long count = ((stored != null) ? ByteBuffer.wrap(stored).getLong() : 0) + change.getValue();
				if (count == 0) {
					ReadModelStore.this.pending.delete(key);
				}
				else {
					ReadModelStore.this.pending.put(key, ByteBuffer.allocate(Long.BYTES).putLong(count).array());
				}
			}
			this.countChanges.clear();
		}

		private void discard() {
			this.countChanges.clear();
		}

		private byte[] entryKey(String owner, Instant time, UUID id) {
			byte[] ownerPrefix = ownerPrefix(owner);
			return ByteBuffer.allocate(ownerPrefix.length + Long.BYTES + Integer.BYTES + 16)
				.put(ownerPrefix)
				// Newest first: the bitwise complement of a sortable form of the time.
				.putLong(~(time.getEpochSecond() ^ Long.MIN_VALUE))
				.putInt(999_999_999 - time.getNano())
				.putLong(id.getMostSignificantBits())
				.putLong(id.getLeastSignificantBits())
				.array();
		}

		/** The listing's letter, the owner's length and the owner. */
		private byte[] ownerPrefix(String owner) {
			byte[] name = utf8(Objects.requireNonNull(owner));
			return ByteBuffer.allocate(1 + Integer.BYTES + name.length)
				.put(this.prefix)
				.putInt(name.length)
				.put(name)
				.array();
		}

	}

	/**
	 * Part of a listing.
	 *
	 * @param ids the ids on it, newest first
	 * @param total how many ids the owner has in all
	 */
	public record Page(List<UUID> ids, long total) {

	}

	private void pendingWrite(RocksWrite write) {
		try {
			write.run();
		}
		catch (RocksDBException ex) {
			throw failure(ex);
		}
	}

	@FunctionalInterface
	private interface RocksWrite {

		void run() throws RocksDBException;

	}

}
