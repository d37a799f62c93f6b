package io.ursa.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.store.ResourceReader;
import io.ursa.core.store.ResourceStore;
import io.ursa.testing.store.ResourceStoreContract;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import java.util.UUID;

/** The store contract on real PostgreSQL: each test on a fresh database with the current schema. */
class PostgresResourceStoreTest extends ResourceStoreContract {
    private PostgresSettings settings;

    @Override
    protected ResourceStore newStore() {
        settings = TestPostgres.shared().migratedDatabase();
        return open();
    }

    private ResourceStore open() {
        return PostgresResourceStore.open(settings, ResourceTypes.standard(), UUID.randomUUID().toString());
    }

    @Override
    protected Optional<ResourceStore> reopen(ResourceStore old) {
        old.close();
        return Optional.of(open());
    }

    @Test
    void aReaderKeptPastItsSnapshotRefusesToRead() {
        ResourceReader leaked = store().snapshot(reader -> reader);

        assertThatThrownBy(() -> leaked.count(ResourceTypes.MESH, ""))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("used after the snapshot ended");
        assertThat(store().count(ResourceTypes.MESH, "")).isZero();
    }
}
