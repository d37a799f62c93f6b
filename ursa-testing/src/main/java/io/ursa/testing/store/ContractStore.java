package io.ursa.testing.store;

import io.ursa.core.store.ResourceStore;
import java.util.Optional;

/** What every part of the contract needs from the test class: the store under test, and a way to reopen it. */
interface ContractStore {
    /** The store under test; a fresh, empty one for every test. */
    ResourceStore store();

    /**
     * Closes the store and opens the same one again; the reopened store becomes {@link #store()}. Empty for stores
     * that are not durable.
     */
    Optional<ResourceStore> reopenStore();
}
