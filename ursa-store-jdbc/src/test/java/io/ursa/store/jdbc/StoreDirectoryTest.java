package io.ursa.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.store.StoreUnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening a store: its directory is created, locked against a second control plane, and checked. */
class StoreDirectoryTest {
    @TempDir
    Path tmp;

    private EmbeddedResourceStore open(Path dir) {
        return EmbeddedResourceStore.open(dir, ResourceTypes.standard(), EmbeddedResourceStoreTest.CLOCK);
    }

    @Test
    void createsAMissingDirectoryAndDescribesTheDatabaseFile() {
        Path dir = tmp.resolve("a/b/store");

        try (EmbeddedResourceStore store = open(dir)) {
            assertThat(dir.resolve(EmbeddedResourceStore.DATABASE_FILE)).isRegularFile();
            assertThat(store.describe()).isEqualTo("embedded (" + dir.resolve("ursa.db") + ")");
        }
    }

    @Test
    void describeNamesTheAbsolutePathOfARelativeDirectory() {
        Path relative = Path.of("").toAbsolutePath().relativize(tmp.resolve("rel"));

        try (EmbeddedResourceStore store = open(relative)) {
            assertThat(store.describe()).isEqualTo("embedded (" + tmp.resolve("rel/ursa.db") + ")");
        }
    }

    @Test
    void refusesASecondOpenOfTheSameDirectoryNamingIt() {
        Path dir = tmp.resolve("store");
        try (EmbeddedResourceStore first = open(dir)) {

            assertThatThrownBy(() -> open(dir))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("store directory " + dir + " is in use by another control plane");
            assertThatThrownBy(() -> open(tmp.resolve("store/../store")))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("in use");

            first.create(TestResources.resource(ResourceTypes.MESH, "", "still-works"));
            assertThat(first.get(ResourceTypes.MESH, "", "still-works")).isPresent();
        }
    }

    @Test
    void theDirectoryCanBeOpenedAgainOnceClosed() {
        Path dir = tmp.resolve("store");
        open(dir).close();

        try (EmbeddedResourceStore again = open(dir)) {
            assertThat(again.count(ResourceTypes.MESH, "")).isZero();
        }
    }

    @Test
    void aFailedSecondOpenDoesNotUnlockTheFirst() {
        Path dir = tmp.resolve("store");
        try (EmbeddedResourceStore ignored = open(dir)) {
            assertThatThrownBy(() -> open(dir)).isInstanceOf(StoreUnavailableException.class);

            assertThatThrownBy(() -> DirectoryLock.acquire(dir)).hasMessageContaining("in use");
        }
    }

    @Test
    void refusesADirectoryThatIsAFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");

        assertThatThrownBy(() -> open(file))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("store directory " + file + " is not a directory");
    }

    @Test
    void saysWhenTheDirectoryCannotBeCreated() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");

        assertThatThrownBy(() -> open(file.resolve("store")))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("could not create store directory " + file.resolve("store"));
    }

    @Test
    void saysWhenTheDatabaseFileIsNotADatabase() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("store"));
        Files.writeString(dir.resolve("ursa.db"), "this is not a database, just some text that is long enough. "
                .repeat(20));

        assertThatThrownBy(() -> open(dir))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining(dir.resolve("ursa.db").toString());
        Files.delete(dir.resolve("ursa.db"));
        open(dir).close();
    }

    @Test
    void aClosedStoreSaysSo() {
        EmbeddedResourceStore store = open(tmp.resolve("store"));
        store.close();
        store.close();

        assertThatThrownBy(() -> store.count(ResourceTypes.MESH, ""))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageEndingWith("the store is closed");
        assertThatThrownBy(() -> store.delete(ResourceKey.global(ResourceTypes.MESH, "x")))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("could not delete Mesh x in ")
                .hasMessageEndingWith("the store is closed");
    }
}
