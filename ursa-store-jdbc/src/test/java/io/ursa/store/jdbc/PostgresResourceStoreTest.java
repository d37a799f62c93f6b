package io.ursa.store.jdbc;

import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.store.ResourceStore;
import io.ursa.testing.store.ResourceStoreContract;
import java.util.Optional;
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
}
