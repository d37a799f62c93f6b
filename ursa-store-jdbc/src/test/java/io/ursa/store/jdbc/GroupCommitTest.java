package io.ursa.store.jdbc;

import static io.ursa.store.jdbc.TestResources.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceMeta;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.event.ResourceChange;
import io.ursa.core.event.ResourceChange.Kind;
import io.ursa.core.store.AlreadyExistsException;
import io.ursa.core.store.ConflictException;
import io.ursa.core.store.NotFoundException;
import io.ursa.core.store.StoreUnavailableException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit: writes that queue up while a batch is being committed go together into the next one, each with its
 * own outcome, and their changes are announced once each, in commit order. Most tests build a batch exactly: a
 * listener holds the batch of one write open (its changes are announced before the next batch begins), the writes
 * under test queue up behind it one by one, in a known order, and then the hold is released ({@link HeldBatch}).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class GroupCommitTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private EmbeddedResourceStore store;
    private final ExecutorService callers = Executors.newCachedThreadPool();
    /** Changes heard from the moment a test subscribes, without the holding write's. */
    private final List<ResourceChange> heard = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        store = EmbeddedResourceStore.open(dir, ResourceTypes.standard(), EmbeddedResourceStoreTest.CLOCK);
    }

    @AfterEach
    void close() {
        callers.shutdownNow();
        store.close();
    }

    private void listen() {
        store.subscribe(change -> {
            if (!change.key().name().equals(HeldBatch.HOLDER)) {
                heard.add(change);
            }
        });
    }

    private static ResourceKey dataplane(String name) {
        return new ResourceKey(ResourceTypes.DATAPLANE, "demo", name);
    }

    private Callable<Resource<DataplaneSpec>> create(String name) {
        return () -> store.create(resource(ResourceTypes.DATAPLANE, "demo", name));
    }

    /** {@code base}, as a caller that read version {@code version} would send it, modified at {@code millis}. */
    private static Resource<DataplaneSpec> edited(Resource<DataplaneSpec> base, long version, long millis) {
        ResourceMeta m = base.meta();
        return base.withMeta(new ResourceMeta(m.mesh(), m.name(), version, m.creationTime(),
                TestResources.TIME.plusMillis(millis)));
    }

    @Test
    void racingWritesInOneBatchEachGetTheirOwnOutcome() throws Exception {
        Resource<DataplaneSpec> contended = store.create(resource(ResourceTypes.DATAPLANE, "demo", "contended"));
        store.create(resource(ResourceTypes.DATAPLANE, "demo", "taken"));
        HeldBatch batch = new HeldBatch();
        List<Future<Resource<DataplaneSpec>>> updates = new ArrayList<>();
        List<Future<Resource<DataplaneSpec>>> creates = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Resource<DataplaneSpec> mine = edited(contended, 1, i + 1);
            updates.add(batch.queue(() -> store.update(mine)));
            creates.add(batch.queue(create("new-" + i)));
        }
        Future<?> taken = batch.queue(create("taken"));
        Future<?> updateGhost = batch.queue(() -> store.update(resource(ResourceTypes.DATAPLANE, "demo", "ghost")));
        Future<?> deleteGhost = batch.queue(() -> {
            store.delete(dataplane("ghost"));
            return null;
        });

        assertThat(batch.release()).as("commits for the queued writes").isEqualTo(1);

        Resource<DataplaneSpec> winner = updates.get(0).get();
        assertThat(winner.meta().version()).isEqualTo(2);
        assertThat(winner.meta().modificationTime()).isEqualTo(TestResources.TIME.plusMillis(1));
        for (Future<Resource<DataplaneSpec>> lost : updates.subList(1, updates.size())) {
            assertThat(failureOf(lost)).isInstanceOf(ConflictException.class);
        }
        assertThat(store.get(ResourceTypes.DATAPLANE, "demo", "contended")).hasValue(winner);
        for (int i = 0; i < creates.size(); i++) {
            assertThat(creates.get(i).get().meta().version()).isEqualTo(1);
            assertThat(store.get(ResourceTypes.DATAPLANE, "demo", "new-" + i)).hasValue(creates.get(i).get());
        }
        assertThat(failureOf(taken)).isInstanceOf(AlreadyExistsException.class);
        assertThat(failureOf(updateGhost)).isInstanceOf(NotFoundException.class);
        assertThat(failureOf(deleteGhost)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aLoneBatchOfCreatesIsOneCommit() {
        long before = store.writer().commits();

        store.createAll(List.of(resource(ResourceTypes.MESH, "", "demo"), resource(ResourceTypes.SECRET, "demo", "k"),
                resource(ResourceTypes.DATAPLANE, "demo", "a"), resource(ResourceTypes.DATAPLANE, "demo", "b")));

        assertThat(store.writer().commits() - before).isEqualTo(1);
        assertThat(store.count(ResourceTypes.DATAPLANE, "demo")).isEqualTo(2);
    }

    @Test
    void aBatchOfCreatesThatFailsInAGroupCommitLeavesNothingAndTheOtherWritesCommit() throws Exception {
        store.create(resource(ResourceTypes.DATAPLANE, "demo", "taken"));
        listen();
        HeldBatch batch = new HeldBatch();

        batch.queue(create("before"));
        Future<?> failed = batch.queue(() -> store.createAll(List.of(resource(ResourceTypes.DATAPLANE, "demo", "x"),
                resource(ResourceTypes.DATAPLANE, "demo", "taken"), resource(ResourceTypes.DATAPLANE, "demo", "y"))));
        Future<List<Resource<?>>> together = batch.queue(() -> store.createAll(List.of(
                resource(ResourceTypes.DATAPLANE, "demo", "x"), resource(ResourceTypes.DATAPLANE, "demo", "y"))));
        assertThat(batch.release()).isEqualTo(1);

        assertThat(failureOf(failed)).isInstanceOf(AlreadyExistsException.class);
        assertThat(together.get()).extracting(r -> r.meta().version()).containsExactly(1L, 1L);
        assertThat(heard).containsExactly(
                new ResourceChange(dataplane("before"), Kind.CREATED, 1),
                new ResourceChange(dataplane("x"), Kind.CREATED, 1),
                new ResourceChange(dataplane("y"), Kind.CREATED, 1));
    }

    @Test
    void changesAreAnnouncedOncePerCommittedWriteInCommitOrder() throws Exception {
        store.create(resource(ResourceTypes.MESH, "", "doomed"));
        store.create(resource(ResourceTypes.SECRET, "doomed", "key"));
        listen();
        HeldBatch batch = new HeldBatch();
        Resource<DataplaneSpec> a = resource(ResourceTypes.DATAPLANE, "demo", "a");

        batch.queue(create("a"));
        batch.queue(create("b"));
        batch.queue(() -> store.update(edited(a, 1, 10)));
        batch.queue(() -> store.update(edited(a, 1, 20)));
        batch.queue(() -> {
            store.delete(dataplane("b"));
            return null;
        });
        batch.queue(create("b"));
        batch.queue(create("a"));
        batch.queue(() -> {
            store.delete(dataplane("ghost"));
            return null;
        });
        batch.queue(() -> {
            store.delete(ResourceKey.global(ResourceTypes.MESH, "doomed"));
            return null;
        });
        batch.queue(() -> store.update(edited(a, 2, 30)));
        assertThat(batch.release()).isEqualTo(1);

        assertThat(heard).containsExactly(
                new ResourceChange(dataplane("a"), Kind.CREATED, 1),
                new ResourceChange(dataplane("b"), Kind.CREATED, 1),
                new ResourceChange(dataplane("a"), Kind.UPDATED, 2),
                new ResourceChange(dataplane("b"), Kind.DELETED, 0),
                new ResourceChange(dataplane("b"), Kind.CREATED, 1),
                new ResourceChange(ResourceKey.global(ResourceTypes.MESH, "doomed"), Kind.DELETED, 0),
                new ResourceChange(new ResourceKey(ResourceTypes.SECRET, "doomed", "key"), Kind.DELETED, 0),
                new ResourceChange(dataplane("a"), Kind.UPDATED, 3));
        assertThat(store.get(ResourceTypes.DATAPLANE, "demo", "a").orElseThrow().meta().modificationTime())
                .isEqualTo(TestResources.TIME.plusMillis(30));
    }

    @Test
    void concurrentWritersHearEveryCommittedChangeExactlyOnceInCommitOrder() throws Exception {
        Resource<DataplaneSpec> shared = store.create(resource(ResourceTypes.DATAPLANE, "demo", "shared"));
        listen();
        int threads = 8;
        int rounds = 40;
        AtomicInteger sharedUpdates = new AtomicInteger();
        long commitsBefore = store.writer().commits();

        List<Future<Integer>> writers = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            String mine = "own-" + t;
            writers.add(callers.submit(() -> {
                go.await();
                int writes = 0;
                for (int r = 0; r < rounds; r++) {
                    Resource<DataplaneSpec> created = store.create(resource(ResourceTypes.DATAPLANE, "demo",
                            mine + "-" + r));
                    store.update(created);
                    store.delete(created.key());
                    writes += 3;
                    while (true) {
                        Resource<DataplaneSpec> current = store.get(ResourceTypes.DATAPLANE, "demo", "shared")
                                .orElseThrow();
                        try {
                            store.update(current);
                            sharedUpdates.incrementAndGet();
                            writes++;
                            break;
                        } catch (ConflictException lostTheRace) {
                            // read again and retry
                        }
                    }
                }
                return writes;
            }));
        }
        go.countDown();
        int committedWrites = 0;
        for (Future<Integer> w : writers) {
            committedWrites += w.get();
        }

        assertThat(heard).hasSize(committedWrites);
        assertThat(heard).filteredOn(c -> c.key().equals(shared.key())).extracting(ResourceChange::version)
                .containsExactlyElementsOf(rangeClosed(2, 1 + sharedUpdates.get()));
        Map<ResourceKey, List<Kind>> byKey = new HashMap<>();
        heard.forEach(c -> byKey.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(c.kind()));
        byKey.remove(shared.key());
        assertThat(byKey).hasSize(threads * rounds)
                .allSatisfy((key, kinds) -> assertThat(kinds).containsExactly(Kind.CREATED, Kind.UPDATED,
                        Kind.DELETED));
        System.out.printf("%d writes from %d threads in %d commits%n", committedWrites, threads,
                store.writer().commits() - commitsBefore);
    }

    @Test
    void aWriteWhoseStatementFailsIsRolledBackAloneAndTheRestOfTheBatchCommits() throws Exception {
        store.create(resource(ResourceTypes.MESH, "", "kept"));
        store.create(resource(ResourceTypes.DATAPLANE, "kept", "web"));
        store.create(resource(ResourceTypes.SECRET, "kept", "token"));
        behindTheStoresBack("CREATE TRIGGER no_secret_deletes BEFORE DELETE ON resources WHEN old.type = 'Secret' "
                + "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
        listen();
        HeldBatch batch = new HeldBatch();

        Future<?> before = batch.queue(create("before"));
        Future<?> cascade = batch.queue(() -> {
            store.delete(ResourceKey.global(ResourceTypes.MESH, "kept"));
            return null;
        });
        Future<?> after = batch.queue(create("after"));
        assertThat(batch.release()).isEqualTo(1);

        assertThat(before.get()).isNotNull();
        assertThat(after.get()).isNotNull();
        assertThat(failureOf(cascade)).isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("could not delete Mesh kept in " + dir.resolve("ursa.db") + ": ")
                .hasMessageContaining("injected failure");
        // the mesh row went first, in the same write: its savepoint brings it back
        assertThat(store.get(ResourceTypes.MESH, "", "kept")).isPresent();
        assertThat(store.get(ResourceTypes.DATAPLANE, "kept", "web")).isPresent();
        assertThat(store.get(ResourceTypes.SECRET, "kept", "token")).isPresent();
        assertThat(heard).containsExactly(new ResourceChange(dataplane("before"), Kind.CREATED, 1),
                new ResourceChange(dataplane("after"), Kind.CREATED, 1));
    }

    @Test
    void aFailedCommitFailsEveryWriteOfItsBatchAndWritesNothing() throws Exception {
        Resource<DataplaneSpec> existing = store.create(resource(ResourceTypes.DATAPLANE, "demo", "existing"));
        // a deferred foreign key is checked at COMMIT: creating "poison" makes the commit of its batch fail
        behindTheStoresBack("CREATE TABLE parent (id INTEGER PRIMARY KEY)");
        behindTheStoresBack("CREATE TABLE child (parent INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)");
        behindTheStoresBack("CREATE TRIGGER poison AFTER INSERT ON resources WHEN new.name = 'poison' "
                + "BEGIN INSERT INTO child VALUES (42); END");
        listen();
        HeldBatch batch = new HeldBatch();

        List<Future<?>> writes = List.of(
                batch.queue(create("first")),
                batch.queue(() -> store.update(existing)),
                batch.queue(create("poison")),
                batch.queue(create("existing")),
                batch.queue(create("last")));
        assertThat(batch.release()).as("commits").isZero();

        for (Future<?> w : writes) {
            assertThat(failureOf(w)).isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("FOREIGN KEY constraint failed")
                    .hasMessageEndingWith("(it was one of 5 writes in one transaction, and none of them was written)");
        }
        assertThat(failureOf(writes.get(3))).hasMessageStartingWith("could not create Dataplane demo/existing in ");
        assertThat(store.get(ResourceTypes.DATAPLANE, "demo", "first")).isEmpty();
        assertThat(store.get(ResourceTypes.DATAPLANE, "demo", "last")).isEmpty();
        assertThat(store.get(ResourceTypes.DATAPLANE, "demo", "existing")).hasValue(existing);
        assertThat(heard).isEmpty();

        assertThat(store.create(resource(ResourceTypes.DATAPLANE, "demo", "first")).meta().version()).isEqualTo(1);
        assertThat(store.update(existing).meta().version()).isEqualTo(2);
        assertThat(heard).extracting(ResourceChange::kind).containsExactly(Kind.CREATED, Kind.UPDATED);
    }

    @Test
    void aWriteAfterWhichSqliteRollsBackEverythingFailsItsWholeBatch() throws Exception {
        behindTheStoresBack("CREATE TRIGGER wrecker BEFORE INSERT ON resources WHEN new.name = 'wrecker' "
                + "BEGIN SELECT RAISE(ROLLBACK, 'wrecked the transaction'); END");
        listen();
        HeldBatch batch = new HeldBatch();

        List<Future<?>> writes = List.of(
                batch.queue(create("first")),
                batch.queue(create("wrecker")),
                batch.queue(create("last")));
        assertThat(batch.release()).isZero();

        for (Future<?> w : writes) {
            assertThat(failureOf(w)).isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("SQLite rolled back the whole transaction when it could not create "
                            + "Dataplane demo/wrecker")
                    .hasMessageContaining("wrecked the transaction")
                    .hasMessageEndingWith("(it was one of 3 writes in one transaction, and none of them was written)");
        }
        assertThat(store.count(ResourceTypes.DATAPLANE, "demo")).isEqualTo(1); // the holder
        assertThat(heard).isEmpty();

        store.create(resource(ResourceTypes.DATAPLANE, "demo", "first"));
        assertThat(heard).containsExactly(new ResourceChange(dataplane("first"), Kind.CREATED, 1));
    }

    @Test
    void aBatchHoldsAtMostMaxBatchWrites() throws Exception {
        HeldBatch batch = new HeldBatch();
        List<Future<Resource<DataplaneSpec>>> writes = new ArrayList<>();
        for (int i = 0; i < Writer.MAX_BATCH + 10; i++) {
            writes.add(batch.queue(create("dp-" + i)));
        }

        assertThat(batch.release()).as("commits").isEqualTo(2);

        for (Future<Resource<DataplaneSpec>> w : writes) {
            assertThat(w.get().meta().version()).isEqualTo(1);
        }
        assertThat(store.count(ResourceTypes.DATAPLANE, "demo")).isEqualTo(Writer.MAX_BATCH + 10 + 1);
    }

    @Test
    void anInterruptedCallerStillWaitsForItsCommitAndKeepsItsInterrupt() throws Exception {
        HeldBatch batch = new HeldBatch();
        record Seen(Resource<DataplaneSpec> created, boolean interrupted) {
        }
        Future<Seen> interrupted = batch.queue(() -> {
            Thread.currentThread().interrupt();
            Resource<DataplaneSpec> created = store.create(resource(ResourceTypes.DATAPLANE, "demo", "patient"));
            return new Seen(created, Thread.interrupted());
        });
        batch.release();

        assertThat(interrupted.get().interrupted()).isTrue();
        assertThat(store.get(ResourceTypes.DATAPLANE, "demo", "patient")).hasValue(interrupted.get().created());
    }

    @Test
    void closeLetsTheQueuedWritesCommitAndRefusesNewOnes() throws Exception {
        HeldBatch batch = new HeldBatch();
        List<Future<Resource<DataplaneSpec>>> queued = List.of(batch.queue(create("q-1")), batch.queue(create("q-2")));
        Thread closer = new Thread(store::close, "closer");
        closer.start();
        waitUntil(() -> closer.getState() == Thread.State.WAITING);

        assertThat(failureOf(callers.submit(create("too-late")))).isInstanceOf(StoreUnavailableException.class)
                .hasMessageEndingWith("the store is closed");
        batch.release();
        closer.join();

        for (Future<Resource<DataplaneSpec>> q : queued) {
            assertThat(q.get().meta().version()).isEqualTo(1);
        }
        store = EmbeddedResourceStore.open(dir, ResourceTypes.standard(), EmbeddedResourceStoreTest.CLOCK);
        assertThat(store.count(ResourceTypes.DATAPLANE, "demo")).isEqualTo(3);
    }

    @Test
    void aListenerCannotWriteToOrCloseTheStore() {
        AtomicReference<Throwable> writeFromListener = new AtomicReference<>();
        AtomicReference<Throwable> closeFromListener = new AtomicReference<>();
        store.subscribe(change -> {
            if (change.key().name().equals("a")) {
                writeFromListener.set(attempt(() -> store.create(resource(ResourceTypes.DATAPLANE, "demo", "b"))));
                closeFromListener.set(attempt(store::close));
            }
        });

        store.create(resource(ResourceTypes.DATAPLANE, "demo", "a"));

        assertThat(writeFromListener.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("could not create Dataplane demo/b: a change listener must not write to the "
                        + "store");
        assertThat(closeFromListener.get()).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("could not close the store from a change listener");
        assertThat(store.create(resource(ResourceTypes.DATAPLANE, "demo", "c")).meta().version()).isEqualTo(1);
        assertThat(store.get(ResourceTypes.DATAPLANE, "demo", "b")).isEmpty();
    }

    private static Throwable attempt(Runnable action) {
        try {
            action.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    /**
     * A batch held open: a listener blocks while the creation of {@link #HOLDER} is announced, so the writes that
     * {@link #queue} starts wait behind it in the order they were queued, until {@link #release}.
     */
    private final class HeldBatch {
        static final String HOLDER = "holder";

        private final CountDownLatch holding = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final Future<?> holder;
        private final List<Future<?>> queued = new ArrayList<>();

        HeldBatch() throws InterruptedException {
            store.subscribe(change -> {
                if (change.key().name().equals(HOLDER) && holding.getCount() > 0) {
                    holding.countDown();
                    awaitUninterruptibly(released);
                }
            });
            holder = callers.submit(create(HOLDER));
            assertThat(holding.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("holding").isTrue();
        }

        /** Starts {@code write} on its own thread and waits until it is queued, behind those queued before. */
        <T> Future<T> queue(Callable<T> write) {
            Future<T> f = callers.submit(write);
            queued.add(f);
            int expected = queued.size();
            waitUntil(() -> store.writer().queued() == expected);
            return f;
        }

        /** Lets the held batch finish and waits for the queued writes; returns how many commits they took. */
        long release() throws InterruptedException {
            long before = store.writer().commits();
            released.countDown();
            for (Future<?> f : queued) {
                try {
                    f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                } catch (ExecutionException failed) {
                    // the test looks at it
                } catch (TimeoutException e) {
                    throw new AssertionError("a queued write did not finish", e);
                }
            }
            return store.writer().commits() - before;
        }
    }

    private static void waitUntil(BooleanSupplier condition) {
        await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .until(condition::getAsBoolean);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static Throwable failureOf(Future<?> future) throws InterruptedException {
        try {
            future.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("the write did not finish", e);
        }
        throw new AssertionError("expected the write to fail, but it succeeded");
    }

    private static List<Long> rangeClosed(long from, long to) {
        List<Long> range = new ArrayList<>();
        for (long v = from; v <= to; v++) {
            range.add(v);
        }
        return range;
    }

    private void behindTheStoresBack(String sql) throws Exception {
        try (RawDatabase db = RawDatabase.open(dir)) {
            db.execute(sql);
        }
    }
}
