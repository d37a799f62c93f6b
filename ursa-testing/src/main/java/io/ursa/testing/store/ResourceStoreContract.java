package io.ursa.testing.store;

import io.ursa.core.store.ResourceStore;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The one test suite every {@link ResourceStore} passes; its tests follow the clauses of the
 * {@code ResourceStore} Javadoc, grouped by clause in the interfaces this class implements. A store's test extends
 * this class and says how to open a fresh store and, for a durable store, how to reopen it:
 *
 * <pre>{@code
 * class MyStoreTest extends ResourceStoreContract {
 *     @TempDir Path dir;
 *     protected ResourceStore newStore() { return MyStore.open(dir); }
 *     protected Optional<ResourceStore> reopen(ResourceStore old) {
 *         old.close();
 *         return Optional.of(MyStore.open(dir));
 *     }
 * }
 * }</pre>
 *
 * Each test gets a fresh, empty store, closed after the test.
 */
public abstract class ResourceStoreContract implements CreateAndGetContract, CreateAllContract,
        UpdateAndDeleteContract, KeyScopeContract, ListingContract, MeshCascadeContract, ChangeListenerContract,
        ConcurrencyContract, DurabilityContract, SnapshotContract {

    private ResourceStore store;

    /** A fresh, empty store. Called once before every test. */
    protected abstract ResourceStore newStore();

    /**
     * Closes {@code old} and opens the same store again, for stores that keep their data; the default (for stores
     * that do not) is empty, and the durability tests are then skipped.
     */
    protected Optional<ResourceStore> reopen(ResourceStore old) {
        return Optional.empty();
    }

    /**
     * Whether the store's writers wait for the snapshots in progress to end. The default, false, is for stores
     * whose writers commit while a snapshot goes on seeing the state before them (databases); a store that holds
     * writers back for a snapshot (the memory store) returns true. The snapshot tests then check that a concurrent
     * write commits during the snapshot, or only after it.
     */
    protected boolean snapshotsBlockWriters() {
        return false;
    }

    @BeforeEach
    final void openStore() {
        store = newStore();
    }

    @AfterEach
    final void closeStore() {
        store.close();
    }

    @Override
    public final ResourceStore store() {
        return store;
    }

    @Override
    public final Optional<ResourceStore> reopenStore() {
        Optional<ResourceStore> reopened = reopen(store);
        reopened.ifPresent(s -> store = s);
        return reopened;
    }

    @Override
    public final boolean writersWaitForSnapshots() {
        return snapshotsBlockWriters();
    }
}
