package io.ursa.testing.store;

import io.ursa.core.store.MemoryResourceStore;
import io.ursa.core.store.ResourceStore;

class MemoryResourceStoreTest extends ResourceStoreContract {
    @Override
    protected ResourceStore newStore() {
        return new MemoryResourceStore();
    }

    /** A snapshot holds the store's read lock, so writers wait for it. */
    @Override
    protected boolean snapshotsBlockWriters() {
        return true;
    }
}
