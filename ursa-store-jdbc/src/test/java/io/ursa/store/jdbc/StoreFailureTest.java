package io.ursa.store.jdbc;

import static io.ursa.store.jdbc.TestResources.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.event.ResourceChange;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.StoreUnavailableException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the embedded store does when the database fails under it or holds what this version cannot read. */
class StoreFailureTest {
    @TempDir
    Path dir;

    private EmbeddedResourceStore store;
    private final List<ResourceChange> heard = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        store = EmbeddedResourceStore.open(dir, ResourceTypes.standard(), EmbeddedResourceStoreTest.CLOCK);
        store.create(resource(ResourceTypes.MESH, "", "demo"));
        store.create(resource(ResourceTypes.DATAPLANE, "demo", "web"));
        store.create(resource(ResourceTypes.SECRET, "demo", "token"));
        store.create(resource(ResourceTypes.TRAFFIC_PERMISSION, "demo", "allow-all"));
        store.subscribe(heard::add);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void behindTheStoresBack(String sql) throws Exception {
        try (RawDatabase db = RawDatabase.open(dir)) {
            db.execute(sql);
        }
    }

    @Test
    void aFailedCascadeLeavesTheMeshAndAllOfItsResources() throws Exception {
        behindTheStoresBack("CREATE TRIGGER no_secret_deletes BEFORE DELETE ON resources WHEN old.type = 'Secret' "
                    + "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");

        assertThatThrownBy(() -> store.delete(ResourceKey.global(ResourceTypes.MESH, "demo")))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("could not delete Mesh demo in " + dir.resolve("ursa.db") + ": ")
                .hasMessageContaining("injected failure");

        assertThat(store.get(ResourceTypes.MESH, "", "demo")).isPresent();
        assertThat(store.get(ResourceTypes.DATAPLANE, "demo", "web")).isPresent();
        assertThat(store.get(ResourceTypes.SECRET, "demo", "token")).isPresent();
        assertThat(store.get(ResourceTypes.TRAFFIC_PERMISSION, "demo", "allow-all")).isPresent();
        assertThat(heard).isEmpty();
    }

    @Test
    void sqlFailuresNameTheOperationAndTheKey() throws Exception {
        behindTheStoresBack("CREATE TRIGGER read_only BEFORE INSERT ON resources "
                + "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END");

        assertThatThrownBy(() -> store.create(resource(ResourceTypes.DATAPLANE, "demo", "api")))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("could not create Dataplane demo/api in " + dir.resolve("ursa.db") + ": ")
                .hasMessageContaining("disk on fire");

        assertThat(store.get(ResourceTypes.DATAPLANE, "demo", "api")).isEmpty();
        assertThat(heard).isEmpty();
    }

    @Test
    void readFailuresNameTheOperation() throws Exception {
        behindTheStoresBack("ALTER TABLE resources RENAME TO gone");

        assertThatThrownBy(() -> store.list(ResourceTypes.DATAPLANE, ListQuery.inMesh("demo")))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("could not list Dataplane in mesh demo in ")
                .hasMessageContaining("no such table");
        assertThatThrownBy(() -> store.get(ResourceTypes.DATAPLANE, "demo", "web"))
                .hasMessageStartingWith("could not get Dataplane demo/web in ");
    }

    @Test
    void resourcesOfATypeUnknownToThisVersionGoWithTheirMeshWithoutBreakingTheDelete() throws Exception {
        behindTheStoresBack("INSERT INTO resources (type, mesh, name, version, creation_time, modification_time, spec) "
                    + "VALUES ('MeshGatewayFromTheFuture', 'demo', 'edge', 1, 0, 0, '{\"new\":true}')");

        store.delete(ResourceKey.global(ResourceTypes.MESH, "demo"));

        assertThat(heard).extracting(c -> c.key().toString()).containsExactlyInAnyOrder(
                "Mesh demo", "Dataplane demo/web", "Secret demo/token", "TrafficPermission demo/allow-all");
        try (RawDatabase db = RawDatabase.open(dir)) {
            assertThat(db.queryLong("SELECT COUNT(*) FROM resources")).isZero();
        }
    }

    @Test
    void aStoredSpecThatNoLongerDecodesIsReportedWithItsKey() throws Exception {
        behindTheStoresBack("UPDATE resources SET spec = '[not an object' WHERE name = 'web'");

        assertThatThrownBy(() -> store.get(ResourceTypes.DATAPLANE, "demo", "web"))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("could not read Dataplane demo/web from " + dir.resolve("ursa.db")
                        + ": its stored spec does not decode");
    }
}
