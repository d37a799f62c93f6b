package io.ursa.testing.store;

import io.ursa.core.store.ResourceStore;
import java.util.Optional;

/**
 * What every part of the contract needs from the test class: the store under test, a way to reopen it, and how
 * its writers behave during a snapshot.
 */
interface ContractStore {
    /** The store under test; a fresh, empty one for every test. */
    ResourceStore store();

    /**
     * Closes the store and opens the same one again; the reopened store becomes {@link #store()}. Empty for stores
     * that are not durable.
     */
    Optional<ResourceStore> reopenStore();

    /**
     * Whether a write waits for the snapshots in progress to end (the memory store) rather than committing while
     * they go on reading the state before it (databases).
     */
    boolean writersWaitForSnapshots();
}
