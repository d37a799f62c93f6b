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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The database goes away under an open store and comes back (same port, same data): reads and writes fail
 * promptly with the database named, then the same store works again. A server of its own, as it is stopped.
 */
class PostgresOutageTest {
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
        try (PostgresResourceStore store = PostgresResourceStore.open(settings, ResourceTypes.standard(), "x")) {
            store.subscribe(ChangeListener.of(change -> { }, resyncs::incrementAndGet));
            store.create(resource(ResourceTypes.MESH, "", "before"));

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

            server = start(port);
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                    .until(() -> store.create(resource(ResourceTypes.MESH, "", "after")) != null);
            assertThat(store.list(ResourceTypes.MESH, ListQuery.all()).items())
                    .extracting(r -> r.meta().name()).containsExactly("after", "before");
            await().atMost(Duration.ofSeconds(20)).until(() -> resyncs.get() == 1);
        } finally {
            server.close();
        }
    }
}
