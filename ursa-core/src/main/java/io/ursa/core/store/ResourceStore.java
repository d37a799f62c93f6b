package io.ursa.core.store;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.Spec;
import io.ursa.core.event.ChangeListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where resources live. The contract, which every implementation passes through the shared suite in
 * {@code ursa-testing} ({@code ResourceStoreContract}):
 * <ul>
 *   <li>Keys are (type, mesh, name); global types use the empty mesh.</li>
 *   <li>{@link #create} stores version 1 and fails with {@link AlreadyExistsException} if the key is taken.</li>
 *   <li>{@link #createAll} creates several resources as one write: all of them (each version 1) or, if a key is
 *       taken, none, failing as {@link #create} of that resource would. Listeners hear one change per resource,
 *       as for as many creates.</li>
 *   <li>{@link #update} succeeds only if the given version is the stored one; it stores version + 1. A stale
 *       version fails with {@link ConflictException} and changes nothing.</li>
 *   <li>Times in the meta are stored as given (millisecond precision) and returned unchanged.</li>
 *   <li>{@link #delete} of a global {@code Mesh} also deletes every mesh-scoped resource of that mesh, in the
 *       same transaction.</li>
 *   <li>Once a write method returns, the write is durable for durable stores and visible to every reader.</li>
 *   <li>Listeners hear every committed change after the commit, including cascaded deletes. A store shared with
 *       other control planes (PostgreSQL) also passes on their changes, and calls
 *       {@link io.ursa.core.event.ChangeListener#onResync} when it may have missed some.</li>
 *   <li>{@link #snapshot} reads as of one moment: every read through its reader sees the same committed state,
 *       none of a write committed after the snapshot began and all of every write committed before it.</li>
 * </ul>
 * Implementations are thread-safe.
 */
public interface ResourceStore extends ResourceReader, AutoCloseable {

    /** Stores a new resource and returns it as stored (version 1). */
    <S extends Spec> Resource<S> create(Resource<S> resource);

    /**
     * Stores new resources in one transaction (one durable commit) and returns them as stored, each version 1, in
     * the given order. All or nothing: if a key is taken, already stored or earlier in the list, it fails with the
     * {@link AlreadyExistsException} that {@link #create} would throw for the first such resource, and nothing is
     * written or announced. After the commit listeners hear one {@code CREATED} change per resource, in the given
     * order, as they would for that many creates. An empty list writes nothing.
     *
     * <p>The default creates them one by one and deletes what it created if one fails; it is for decorators and
     * test doubles whose {@link #create} must see each resource. Listeners then hear those creates and deletes.
     * Every store of Ursa implements it as one transaction (the shared contract suite checks that).
     */
    default List<Resource<?>> createAll(List<? extends Resource<?>> resources) {
        List<Resource<?>> created = new ArrayList<>();
        try {
            for (Resource<?> resource : resources) {
                created.add(create(resource));
            }
        } catch (RuntimeException e) {
            for (int i = created.size() - 1; i >= 0; i--) {
                try {
                    delete(created.get(i).key());
                } catch (RuntimeException undoFailed) {
                    e.addSuppressed(undoFailed);
                }
            }
            throw e;
        }
        return List.copyOf(created);
    }

    /** Replaces the spec and modification time if {@code resource.meta().version()} is current. */
    <S extends Spec> Resource<S> update(Resource<S> resource);

    /** Deletes the resource (and, for a Mesh, its mesh-scoped children). */
    void delete(ResourceKey key);

    @Override
    <S extends Spec> Optional<Resource<S>> get(ResourceType<S> type, String mesh, String name);

    @Override
    <S extends Spec> ResourcePage<S> list(ResourceType<S> type, ListQuery query);

    @Override
    long count(ResourceType<?> type, String mesh);

    /**
     * Runs {@code reads} with a reader that sees one committed state of the whole store, and returns its result.
     * The reader is valid only during the call. {@code reads} must not write to this store (a store may refuse
     * that with {@link IllegalStateException} or block), and should be short: a snapshot may hold back writers
     * (the memory store) or keep old row versions alive (databases).
     */
    <T> T snapshot(Function<ResourceReader, T> reads);

    /** Registers a listener for committed changes; closing the handle unregisters it. */
    AutoCloseable subscribe(ChangeListener listener);

    /**
     * Why the store cannot serve reads and writes right now (its database or connection pool is not back yet), for
     * {@code /ready}; empty when it can. Cheap enough to be asked on every readiness probe: an implementation that
     * has to check remembers its answer for a moment. Stores in this process's memory or files always can.
     */
    default Optional<String> problem() {
        return Optional.empty();
    }

    /** A short description for logs and {@code /config}, e.g. {@code embedded (/var/lib/ursa/ursa.db)}. */
    String describe();

    @Override
    void close();
}
