package io.ordersaga.support.streams;

import java.util.Map;

import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * One memory budget for every RocksDB state store of the JVM, instead of RocksDB's
 * defaults per store: a block cache of 50 MB and up to three write buffers of 16 MB each.
 * A service here has a dozen stores (three or four per task, three tasks), so under load
 * their native memory grew past the JVM's heap and no {@code -Xmx} bounded it. Here all
 * stores share one {@value #TOTAL_BYTES}-byte cache, and their write buffers are charged
 * to it, so RocksDB never holds much more than that in total. The stores are small (one
 * entry per order or customer), so the price is more frequent flushes of small memtables,
 * nothing a reader sees. Set with {@code rocksdb.config.setter} in
 * {@code saga-defaults.yml}.
 */
public class BoundedRocksDbMemory implements RocksDBConfigSetter {

	/** Everything RocksDB may hold in memory, write buffers included. */
	static final long TOTAL_BYTES = 32L * 1024 * 1024;

	/** The share of it that the write buffers (memtables) may take. */
	static final long WRITE_BUFFER_BYTES = 16L * 1024 * 1024;

	/** Each store's memtable size before it is flushed. */
	static final long MEMTABLE_BYTES = 4L * 1024 * 1024;

	@Override
	public void setConfig(String storeName, Options options, Map<String, Object> configs) {
		BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
		table.setBlockCache(Shared.CACHE);
		// Index and filter blocks count against the cache too, rather than outside it.
		table.setCacheIndexAndFilterBlocks(true);
		table.setCacheIndexAndFilterBlocksWithHighPriority(true);
		table.setPinTopLevelIndexAndFilter(true);
		options.setTableFormatConfig(table);
		options.setWriteBufferManager(Shared.WRITE_BUFFERS);
		options.setWriteBufferSize(MEMTABLE_BYTES);
		options.setMaxWriteBufferNumber(2);
	}

	/** What RocksDB holds now, across every store of the JVM. */
	static long usedBytes() {
		return Shared.CACHE.getUsage();
	}

	@Override
	public void close(String storeName, Options options) {
		// The cache and the write buffer manager are shared by every store and live as
		// long as the JVM: closing them with one store would pull them from the others.
	}

	/**
	 * Created on first use, not when the class loads: Kafka Streams loads the setter
	 * class while it reads its configuration, before RocksDB's native library is loaded.
	 */
	private static final class Shared {

		static final Cache CACHE = new LRUCache(TOTAL_BYTES, -1, false, 0.1);

		static final WriteBufferManager WRITE_BUFFERS = new WriteBufferManager(WRITE_BUFFER_BYTES, CACHE);

	}

}
