package io.ursa.store.jdbc;

import static io.ursa.store.jdbc.TestResources.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.event.ChangeListener;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.StoreUnavailableException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database goes away under an open store and comes back (same port, same data): reads and writes fail
 * promptly with the database named, the instance stops leading and reports why, then the same store works
 * again and the instance leads again. A server of its own, as it is stopped.
 */
class PostgresOutageTest {
    private static final PostgresCluster.Timings BEATS = new PostgresCluster.Timings(Duration.ofMillis(200),
            Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1));

    @TempDir
    Path data;

    private EmbeddedPostgres start(int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }

    @Test
    void whileTheDatabaseIsDownReadsAndWritesFailAndAfterwardsTheSameStoreWorks() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        EmbeddedPostgres server = start(port);
        PostgresSettings settings = TestPostgres.settings(port, "postgres");
        PostgresResourceStore.migrateUp(settings, Clock.systemUTC());
        AtomicInteger resyncs = new AtomicInteger();
        List<Boolean> leadership = new CopyOnWriteArrayList<>();
        try (PostgresResourceStore store = PostgresResourceStore.open(settings, ResourceTypes.standard(), "x");
             PostgresCluster cluster = PostgresCluster.join(settings, "x", "host", "1.0.0-test", BEATS,
                     Clock.systemUTC())) {
            store.subscribe(ChangeListener.of(change -> { }, resyncs::incrementAndGet));
            cluster.onLeadershipChange(leadership::add);
            store.create(resource(ResourceTypes.MESH, "", "before"));
            assertThat(store.problem()).as("the pool of an open store lends connections").isEmpty();

            server.close();
            long started = System.nanoTime();
            assertThatThrownBy(() -> store.create(resource(ResourceTypes.MESH, "", "during")))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageStartingWith("could not create Mesh during in PostgreSQL postgres at localhost:" + port
                            + ": ");
            assertThatThrownBy(() -> store.list(ResourceTypes.MESH, ListQuery.all()))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageStartingWith("could not list Mesh in PostgreSQL postgres at localhost:" + port + ": ");
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .as("two failures, each within the connection timeout")
                    .isLessThan(settings.connectionTimeout().multipliedBy(2).plusSeconds(3));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(cluster.problem()).as("what /ready reports").hasValueSatisfying(p -> assertThat(p)
                        .startsWith("PostgreSQL postgres at localhost:" + port + " has not answered since "));
                assertThat(cluster.isLeader()).as("a leader that cannot reach the database stops leading").isFalse();
                assertThat(store.problem()).as("what /ready reports of the store's pool").hasValueSatisfying(p ->
                        assertThat(p).startsWith("the connection pool of PostgreSQL postgres at localhost:" + port
                                + " cannot serve: "));
            });
            assertThat(leadership).containsExactly(true, false);

            server = start(port);
            await().atMost(Duration.ofSeconds(20)).until(() -> store.problem().isEmpty());
            // the pool said it can serve: the next write succeeds at once, without a retry
            store.create(resource(ResourceTypes.MESH, "", "after"));
            assertThat(store.list(ResourceTypes.MESH, ListQuery.all()).items())
                    .extracting(r -> r.meta().name()).containsExactly("after", "before");
            await().atMost(Duration.ofSeconds(20)).until(() -> resyncs.get() == 1);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(cluster.problem()).isEmpty();
                assertThat(cluster.isLeader()).as("the only instance leads again").isTrue();
            });
            assertThat(leadership).containsExactly(true, false, true);
        } finally {
            server.close();
        }
    }
}
