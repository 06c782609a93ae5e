package io.ordersaga.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.CompactionStyle;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.TableProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/** A read model on disk, and the positions kept with it. */
class ReadModelStoreTests {

	private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);

	private static final Map<String, Uuid> TOPIC_IDS = Map.of("orders", Uuid.randomUuid());

	@TempDir
	Path directory;

	@Test
	void aTablesValuesAreSeenAtOnceAndAListingsOnceCommitted() {
		try (ReadModelStore store = ReadModelStore.open(this.directory)) {
			ReadModelStore.Table<Item> items = store.table('i', Item.class);
			ReadModelStore.Listings listings = store.listings('c');
			UUID id = UUID.randomUUID();
			Item book = new Item("book", Instant.parse("2026-12-02T10:15:30.123456Z"));

			items.put(id, book);
			listings.add("alice", book.time(), id);
			assertThat(items.get(id)).isEqualTo(book);
			assertThat(listings.of("alice", Long.MAX_VALUE)).isEmpty();

			store.commit(Map.of(ORDERS_1, 8L));
			assertThat(items.get(id)).isEqualTo(book);
			assertThat(listings.of("alice", Long.MAX_VALUE)).containsExactly(id);

			items.remove(id);
			assertThat(items.get(id)).isNull();
			store.commit(Map.of(ORDERS_1, 9L));
			assertThat(items.get(id)).isNull();
		}
	}

	@Test
	void valuesNoLongerKeptOnTheHeapAreReadFromTheDatabase() {
		List<UUID> ids = new ArrayList<>();
		try (ReadModelStore store = ReadModelStore.open(this.directory)) {
			ReadModelStore.Table<Item> items = store.table('i', Item.class);
			for (int i = 0; i < 3 * ReadModelStore.Table.RECENT; i++) {
				UUID id = UUID.randomUUID();
				ids.add(id);
				items.put(id, new Item("item-" + i, Instant.EPOCH));
			}
			store.commit(Map.of(ORDERS_1, 1L));
			items.remove(ids.get(1));
			store.commit(Map.of(ORDERS_1, 2L));

			assertThat(items.getAll(List.of(ids.get(0), ids.get(1), ids.getLast()))).containsExactly(
					new Item("item-0", Instant.EPOCH), null, new Item("item-" + (ids.size() - 1), Instant.EPOCH));
		}
		try (ReadModelStore store = ReadModelStore.open(this.directory)) {
			assertThat(store.table('i', Item.class).get(ids.get(2))).isEqualTo(new Item("item-2", Instant.EPOCH));
		}
	}

	@Test
	void tablesWithDifferentLettersKeepTheirOwnValues() {
		try (ReadModelStore store = ReadModelStore.open(this.directory)) {
			ReadModelStore.Table<Item> first = store.table('a', Item.class);
			ReadModelStore.Table<Item> second = store.table('b', Item.class);
			UUID id = UUID.randomUUID();
			first.put(id, new Item("first", Instant.EPOCH));
			second.put(id, new Item("second", Instant.EPOCH));
			store.commit(Map.of(ORDERS_1, 1L));

			assertThat(first.getAll(List.of(id, UUID.randomUUID()))).containsExactly(new Item("first", Instant.EPOCH),
					null);
			assertThat(second.get(id)).isEqualTo(new Item("second", Instant.EPOCH));
			assertThat(second.getAll(List.of())).isEmpty();
		}
	}

	@Test
	void aListingIsNewestFirstThenByIdAndHoldsOnlyItsOwnersIds() {
		try (ReadModelStore store = ReadModelStore.open(this.directory)) {
			ReadModelStore.Listings listings = store.listings('c');
			UUID lowId = new UUID(0, 1);
			UUID highId = new UUID(0, 2);
			UUID beforeEpoch = UUID.randomUUID();
			UUID newest = UUID.randomUUID();
			UUID otherCustomers = UUID.randomUUID();
			Instant time = Instant.parse("2026-12-02T10:15:30.5Z");
			listings.add("alice", time, highId);
			listings.add("alice", Instant.parse("1969-07-20T20:17:40Z"), beforeEpoch);
			listings.add("alice", time.plusNanos(1), newest);
			listings.add("alice", time, lowId);
			listings.add("alicea", time.plusSeconds(5), otherCustomers);
			listings.add("al", time.plusSeconds(5), otherCustomers);
			store.commit(Map.of(ORDERS_1, 6L));

			assertThat(listings.of("alice", Long.MAX_VALUE)).containsExactly(newest, lowId, highId, beforeEpoch);
			assertThat(listings.of("alice", 2)).containsExactly(newest, lowId);
			assertThat(listings.of("bob", Long.MAX_VALUE)).isEmpty();
		}
	}

	@Test
	void aPageOfAListingComesWithItsOwnersTotalAsOfTheSameCommit() {
		try (ReadModelStore store = ReadModelStore.open(this.directory)) {
			ReadModelStore.Listings listings = store.listings('c');
			Instant start = Instant.parse("2026-12-02T10:15:30Z");
			List<UUID> ids = new ArrayList<>();
			for (int i = 0; i < 7; i++) {
				ids.add(UUID.randomUUID());
				listings.add("alice", start.plusSeconds(i), ids.get(i));
			}
			UUID bobs = UUID.randomUUID();
			listings.add("bob", start, bobs);
			store.commit(Map.of(ORDERS_1, 8L));

			assertThat(listings.page("alice", 2, 3))
				.isEqualTo(new ReadModelStore.Page(ids.subList(2, 5).reversed(), 7));
			assertThat(listings.page("alice", 6, 3)).isEqualTo(new ReadModelStore.Page(List.of(ids.get(0)), 7));
			assertThat(listings.page("alice", 7, 3)).isEqualTo(new ReadModelStore.Page(List.of(), 7));
			assertThat(listings.page("carol", 0, 3)).isEqualTo(new ReadModelStore.Page(List.of(), 0));

			listings.remove("alice", start.plusSeconds(6), ids.get(6));
			listings.remove("bob", start, bobs);
			assertThat(listings.page("alice", 0, 1).total()).isEqualTo(7);
			store.commit(Map.of(ORDERS_1, 9L));
			assertThat(listings.page("alice", 0, 1)).isEqualTo(new ReadModelStore.Page(List.of(ids.get(5)), 6));
			assertThat(listings.page("bob", 0, 1)).isEqualTo(new ReadModelStore.Page(List.of(), 0));
		}
	}

	@Test
	void changesToAListingThatAreDiscardedLeaveItsCountAsItWas() {
		try (ReadModelStore store = ReadModelStore.open(this.directory)) {
			ReadModelStore.Listings listings = store.listings('c');
			UUID kept = UUID.randomUUID();
			listings.add("alice", Instant.EPOCH, kept);
			store.commit(Map.of(ORDERS_1, 1L));
			listings.add("alice", Instant.EPOCH.plusSeconds(1), UUID.randomUUID());
			store.discardPending();
			store.commit(Map.of(ORDERS_1, 1L));

			assertThat(listings.page("alice", 0, 10)).isEqualTo(new ReadModelStore.Page(List.of(kept), 1));
		}
	}

	@Test
	void aStoreWrittenInAnotherLayoutIsForgottenSoItsFollowerReplays() {
		UUID id = UUID.randomUUID();
		try (ReadModelStore store = ReadModelStore.open(this.directory)) {
			store.resume(TOPIC_IDS, 1);
			store.table('i', Item.class).put(id, new Item("book", Instant.EPOCH));
			store.commit(Map.of(ORDERS_1, 42L));
		}
		try (ReadModelStore store = ReadModelStore.open(this.directory)) {
			assertThat(store.resume(TOPIC_IDS, 2)).isEmpty();
			assertThat(store.table('i', Item.class).get(id)).isNull();
			store.commit(Map.of(ORDERS_1, 7L));
		}
		try (ReadModelStore store = ReadModelStore.open(this.directory)) {
			assertThat(store.resume(TOPIC_IDS, 2)).isEqualTo(Map.of(ORDERS_1, 7L));
		}
	}

	@Test
	void aReopenedStoreResumesWhereItsFollowerStopped() {
		UUID id = UUID.randomUUID();
		try (ReadModelStore store = ReadModelStore.open(this.directory)) {
			assertThat(store.resume(TOPIC_IDS, 1)).isEmpty();
			store.table('i', Item.class).put(id, new Item("book", Instant.EPOCH));
			store.commit(Map.of(ORDERS_1, 42L));
		}
		try (ReadModelStore store = ReadModelStore.open(this.directory)) {
			assertThat(store.resume(TOPIC_IDS, 1)).isEqualTo(Map.of(ORDERS_1, 42L));
			assertThat(store.table('i', Item.class).get(id)).isEqualTo(new Item("book", Instant.EPOCH));
		}
	}

	@Test
	void anIdTakenOffAListingLeavesNoMarkerBehindOnceFlushed() throws Exception {
		try (ReadModelStore store = ReadModelStore.open(this.directory)) {
			ReadModelStore.Listings listings = store.listings('c');
			listings.add("alice", Instant.EPOCH, UUID.randomUUID());
			List<UUID> ended = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				UUID id = UUID.randomUUID();
				ended.add(id);
				listings.add("alice", Instant.EPOCH.plusSeconds(i), id);
			}
			store.commit(Map.of(ORDERS_1, 1L));
			for (int i = 0; i < ended.size(); i++) {
				listings.remove("alice", Instant.EPOCH.plusSeconds(i), ended.get(i));
			}
			store.commit(Map.of(ORDERS_1, 2L));
			assertThat(listings.page("alice", 0, 10).total()).isOne();
		}
		// A marker would stay on disk until a merge of the oldest data, and every page of
		// the owner's listing would pass over it.
		try (Options options = new Options();
				RocksDB database = RocksDB.open(options, this.directory.toString());
				FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
			database.flush(flush);
			assertThat(database.getPropertiesOfAllTables().values()).extracting(TableProperties::getNumDeletions)
				.containsOnly(0L);
		}
	}

	@Test
	void aStoreCompactedLevelByLevelKeepsItsModelAndIsMergedRunByRunFromThen() throws Exception {
		UUID kept = UUID.randomUUID();
		UUID ended = UUID.randomUUID();
		try (ReadModelStore store = ReadModelStore.open(this.directory)) {
			store.resume(TOPIC_IDS, 1);
			store.table('i', Item.class).put(kept, new Item("book", Instant.EPOCH));
			ReadModelStore.Listings listings = store.listings('c');
			listings.add("alice", Instant.EPOCH, kept);
			listings.add("alice", Instant.EPOCH.plusSeconds(1), ended);
			store.commit(Map.of(ORDERS_1, 42L));
		}
		// As earlier versions left it: compacted level by level, down to the last level.
		try (Options leveled = new Options().setCompactionStyle(CompactionStyle.LEVEL);
				RocksDB database = RocksDB.open(leveled, this.directory.toString())) {
			database.compactRange();
			assertThat(database.getProperty("rocksdb.num-files-at-level6")).isEqualTo("1");
		}

		UUID added = UUID.randomUUID();
		try (ReadModelStore store = ReadModelStore.open(this.directory)) {
			assertThat(store.resume(TOPIC_IDS, 1)).isEqualTo(Map.of(ORDERS_1, 42L));
			ReadModelStore.Table<Item> items = store.table('i', Item.class);
			assertThat(items.get(kept)).isEqualTo(new Item("book", Instant.EPOCH));
			items.put(added, new Item("pen", Instant.EPOCH));
			ReadModelStore.Listings listings = store.listings('c');
			assertThat(listings.page("alice", 0, 10)).isEqualTo(new ReadModelStore.Page(List.of(ended, kept), 2));
			listings.remove("alice", Instant.EPOCH.plusSeconds(1), ended);
			listings.add("alice", Instant.EPOCH.plusSeconds(2), added);
			store.commit(Map.of(ORDERS_1, 43L));
			assertThat(listings.page("alice", 0, 10)).isEqualTo(new ReadModelStore.Page(List.of(added, kept), 2));
		}
		assertThat(latestOptions()).contains("compaction_style=kCompactionStyleUniversal");
		try (ReadModelStore store = ReadModelStore.open(this.directory)) {
			assertThat(store.resume(TOPIC_IDS, 1)).isEqualTo(Map.of(ORDERS_1, 43L));
			assertThat(store.table('i', Item.class).getAll(List.of(kept, added)))
				.containsExactly(new Item("book", Instant.EPOCH), new Item("pen", Instant.EPOCH));
			assertThat(store.listings('c').page("alice", 0, 10))
				.isEqualTo(new ReadModelStore.Page(List.of(added, kept), 2));
		}
	}

	/** The options RocksDB wrote for the database when it was last opened. */
	private String latestOptions() throws IOException {
		try (Stream<Path> files = Files.list(this.directory)) {
			Path latest = files.filter((file) -> file.getFileName().toString().startsWith("OPTIONS-"))
				.max(Comparator.comparing((file) -> Long.parseLong(file.getFileName().toString().substring(8))))
				.orElseThrow();
			return Files.readString(latest);
		}
	}

	@Test
	void aTopicCreatedAgainMakesTheStoreForgetEverything() {
		UUID id = UUID.randomUUID();
		try (ReadModelStore store = ReadModelStore.open(this.directory)) {
			store.resume(TOPIC_IDS, 1);
			store.table('i', Item.class).put(id, new Item("book", Instant.EPOCH));
			store.commit(Map.of(ORDERS_1, 42L));

			assertThat(store.resume(Map.of("orders", Uuid.randomUuid()), 1)).isEmpty();
			assertThat(store.table('i', Item.class).get(id)).isNull();
		}
	}

	@Test
	void aSecondStoreOnTheSameDirectoryIsRefusedWithTheReason() {
		try (ReadModelStore store = ReadModelStore.open(this.directory)) {
			assertThatIllegalStateException().isThrownBy(() -> ReadModelStore.open(this.directory))
				.withMessageContaining("another instance");
		}
	}

	@Test
	void aTemporaryStoreIsDeletedWhenClosed() {
		ReadModelStore store = ReadModelStore.temporary("read-model-tests");
		Path created = store.directory();
		assertThat(created).isDirectory();

		store.close();
		assertThat(created).doesNotExist();
	}

	@Test
	void aClosedStoreSaysSo() {
		ReadModelStore store = ReadModelStore.open(this.directory);
		ReadModelStore.Table<Item> items = store.table('i', Item.class);
		store.close();

		assertThatIllegalStateException().isThrownBy(() -> items.get(UUID.randomUUID()))
			.withMessageContaining("closed");
	}

	record Item(String name, Instant time) {
	}

}
