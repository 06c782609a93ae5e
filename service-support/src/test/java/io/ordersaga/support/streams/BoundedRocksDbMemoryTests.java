package io.ordersaga.support.streams;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real RocksDB stores, configured as Kafka Streams configures the services' stores, hold
 * no more than the shared budget however much is written to them.
 */
class BoundedRocksDbMemoryTests {

	@TempDir
	Path dir;

	@Test
	void storesShareOneBudgetWhateverIsWrittenToThem() throws RocksDBException {
		// Kafka Streams creates the setter before RocksDB's native library is loaded.
		BoundedRocksDbMemory setter = new BoundedRocksDbMemory();
		RocksDB.loadLibrary();
		List<Options> options = new ArrayList<>();
		List<RocksDB> stores = new ArrayList<>();
		try {
			for (int i = 0; i < 4; i++) {
				// Kafka Streams hands the setter options with a table configuration.
				Options storeOptions = new Options().setCreateIfMissing(true)
					.setTableFormatConfig(new BlockBasedTableConfig());
				setter.setConfig("store-" + i, storeOptions, Map.of());
				assertThat(storeOptions.writeBufferSize()).isEqualTo(BoundedRocksDbMemory.MEMTABLE_BYTES);
				assertThat(storeOptions.maxWriteBufferNumber()).isEqualTo(2);
				options.add(storeOptions);
				stores.add(RocksDB.open(storeOptions, this.dir.resolve("store-" + i).toString()));
			}
			byte[] value = new byte[1024];
			long written = 0;
			for (int n = 0; n < 80_000; n++) {
				ThreadLocalRandom.current().nextBytes(value);
				stores.get(n % stores.size()).put(("key-" + n).getBytes(StandardCharsets.UTF_8), value);
				written += value.length;
			}
			// Four stores with RocksDB's defaults would hold up to 4 x 3 x 16 MB of
			// memtables for these 80 MB.
			assertThat(written).isGreaterThan(2 * BoundedRocksDbMemory.TOTAL_BYTES);
			assertThat(BoundedRocksDbMemory.usedBytes()).isPositive()
				.isLessThanOrEqualTo(BoundedRocksDbMemory.TOTAL_BYTES + BoundedRocksDbMemory.MEMTABLE_BYTES);
		}
		finally {
			stores.forEach(RocksDB::close);
			for (int i = 0; i < options.size(); i++) {
				setter.close("store-" + i, options.get(i));
				options.get(i).close();
			}
		}
	}

}
