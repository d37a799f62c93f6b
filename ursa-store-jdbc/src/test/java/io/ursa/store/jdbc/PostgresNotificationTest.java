package io.ursa.store.jdbc;

import static io.ursa.store.jdbc.TestResources.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.secret.SecretSpec;
import io.ursa.core.event.ChangeListener;
import io.ursa.core.event.ResourceChange;
import io.ursa.core.event.ResourceChange.Kind;
import io.ursa.core.store.AlreadyExistsException;
import io.ursa.core.store.ConflictException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two stores (two control planes) on one database hear each other's changes through LISTEN/NOTIFY. */
class PostgresNotificationTest {
    private final TestPostgres postgres = TestPostgres.shared();
    private PostgresResourceStore a;
    private PostgresResourceStore b;
    private final List<ResourceChange> heardByA = new CopyOnWriteArrayList<>();
    private final List<ResourceChange> heardByB = new CopyOnWriteArrayList<>();
    private final AtomicInteger resyncsOfB = new AtomicInteger();

    @BeforeEach
    void open() {
        PostgresSettings settings = postgres.migratedDatabase();
        a = PostgresResourceStore.open(settings, ResourceTypes.standard(), "instance-a");
        b = PostgresResourceStore.open(settings, ResourceTypes.standard(), "instance-b");
        a.subscribe(heardByA::add);
        b.subscribe(ChangeListener.of(heardByB::add, resyncsOfB::incrementAndGet));
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    private static ResourceKey key(String mesh, String name) {
        return new ResourceKey(ResourceTypes.SECRET, mesh, name);
    }

    @Test
    void aWriteThroughOneStoreReachesTheListenersOfTheOther() {
        a.create(resource(ResourceTypes.MESH, "", "demo"));
        Resource<SecretSpec> v1 = a.create(resource(ResourceTypes.SECRET, "demo", "s"));
        a.update(v1);
        a.delete(v1.key());

        List<ResourceChange> expected = List.of(
                new ResourceChange(ResourceKey.global(ResourceTypes.MESH, "demo"), Kind.CREATED, 1),
                new ResourceChange(key("demo", "s"), Kind.CREATED, 1),
                new ResourceChange(key("demo", "s"), Kind.UPDATED, 2),
                new ResourceChange(key("demo", "s"), Kind.DELETED, 0));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(heardByB).isEqualTo(expected));
        assertThat(heardByA).as("A heard its own writes once, not their echo").isEqualTo(expected);
        assertThat(b.get(ResourceTypes.SECRET, "demo", "s")).isEmpty();
    }

    @Test
    void ownWritesAreHeardOnce() {
        a.create(resource(ResourceTypes.MESH, "", "demo"));
        // B's write after A's: once B has heard A's, A has had time to hear its own echo as well
        b.create(resource(ResourceTypes.MESH, "", "other"));
        await().atMost(Duration.ofSeconds(10)).until(() -> heardByA.size() == 2 && heardByB.size() == 2);
        a.create(resource(ResourceTypes.MESH, "", "marker"));
        await().atMost(Duration.ofSeconds(10)).until(() -> heardByB.size() == 3);

        // each store hears its own write at once and the other's a moment later: the order may differ, not the count
        assertThat(heardByA).extracting(c -> c.key().name()).containsExactlyInAnyOrder("demo", "other", "marker");
        assertThat(heardByB).extracting(c -> c.key().name()).containsExactlyInAnyOrder("demo", "other", "marker");
    }

    @Test
    void aMeshDeleteReachesTheOtherStoreWithEveryCascadedDelete() {
        a.create(resource(ResourceTypes.MESH, "", "doomed"));
        List<ResourceChange> expected = new ArrayList<>();
        expected.add(new ResourceChange(ResourceKey.global(ResourceTypes.MESH, "doomed"), Kind.DELETED, 0));
        // enough children that the notices do not fit in one payload
        for (int i = 0; i < 300; i++) {
            String name = "secret-with-a-long-name-to-fill-the-payload-" + i;
            a.create(resource(ResourceTypes.SECRET, "doomed", name));
            expected.add(new ResourceChange(key("doomed", name), Kind.DELETED, 0));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> heardByB.size() == 301);
        heardByB.clear();

        a.delete(ResourceKey.global(ResourceTypes.MESH, "doomed"));

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(heardByB).containsExactlyInAnyOrderElementsOf(expected));
    }

    @Test
    void afterTheListenConnectionIsCutTheListenerResyncsAndChangesFlowAgain() {
        a.create(resource(ResourceTypes.MESH, "", "before"));
        await().atMost(Duration.ofSeconds(10)).until(() -> heardByB.size() == 1);
        int cut = b.feedBackendPid();

        postgres.execute("SELECT pg_terminate_backend(" + cut + ")");

        await().atMost(Duration.ofSeconds(10)).until(() -> resyncsOfB.get() == 1);
        assertThat(b.feedBackendPid()).isNotEqualTo(cut);
        a.create(resource(ResourceTypes.MESH, "", "after"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(heardByB).extracting(c -> c.key().name()).containsExactly("before", "after"));
        assertThat(resyncsOfB).hasValue(1);
    }

    @Test
    void racingWritesFromTwoStoresHaveOneWinnerEach() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            race(threads);
        } finally {
            threads.shutdownNow();
        }
    }

    private void race(ExecutorService threads) throws Exception {
        Resource<SecretSpec> v1 = a.create(resource(ResourceTypes.SECRET, "demo", "raced"));
        for (int round = 0; round < 20; round++) {
            Resource<SecretSpec> current = a.get(ResourceTypes.SECRET, "demo", "raced").orElseThrow();
            CyclicBarrier start = new CyclicBarrier(2);
            List<Callable<Object>> racers = List.of(
                    () -> { start.await(); return a.update(current); },
                    () -> { start.await(); return b.update(current); });
            List<Future<Object>> results = threads.invokeAll(racers);
            List<Throwable> failures = new ArrayList<>();
            for (Future<Object> result : results) {
                try {
                    result.get();
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
            assertThat(failures).as("round %d", round).singleElement().isInstanceOf(ConflictException.class);
        }
        assertThat(b.get(ResourceTypes.SECRET, "demo", "raced").orElseThrow().meta().version())
                .isEqualTo(v1.meta().version() + 20);

        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<Object>> creates = threads.invokeAll(List.of(
                () -> { start.await(); return a.create(resource(ResourceTypes.SECRET, "demo", "once")); },
                () -> { start.await(); return b.create(resource(ResourceTypes.SECRET, "demo", "once")); }));
        long failed = 0;
        for (Future<Object> create : creates) {
            try {
                create.get();
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(AlreadyExistsException.class);
                failed++;
            }
        }
        assertThat(failed).isEqualTo(1);
    }

    @Test
    void payloadsStayWithinPostgresLimit() {
        List<ResourceChange> changes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            changes.add(new ResourceChange(key("mesh-é", "name-" + "x".repeat(200) + i), Kind.DELETED, 0));
        }
        List<String> payloads = ChangeFeed.payloads("origin", changes);

        assertThat(payloads).hasSizeGreaterThan(1)
                .allSatisfy(p -> assertThat(p.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                        .isLessThanOrEqualTo(ChangeFeed.MAX_PAYLOAD_BYTES));
        assertThat(payloads.stream().flatMap(p -> ChangeFeed.decode(p, ResourceTypes.standard()).orElseThrow()
                .changes().stream())).containsExactlyElementsOf(changes);
    }
}
