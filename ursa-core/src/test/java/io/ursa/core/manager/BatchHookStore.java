package io.ursa.core.manager;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.Spec;
import io.ursa.core.event.ChangeListener;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.MemoryResourceStore;
import io.ursa.core.store.ResourcePage;
import io.ursa.core.store.ResourceReader;
import io.ursa.core.store.ResourceStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A memory store that counts its writes and runs a hook before a batch of creates, to stand in for another control
 * plane writing to the same store at that moment, or for a store that fails then. Used by one test thread.
 */
final class BatchHookStore implements ResourceStore {
    final MemoryResourceStore delegate = new MemoryResourceStore();
    /** Store writes (a batch counts once). */
    final AtomicInteger writes = new AtomicInteger();
    private Consumer<List<? extends Resource<?>>> beforeBatch = batch -> { };

    /** Runs {@code hook} (once) before the next batch of creates reaches the store. */
    void beforeNextBatch(Consumer<List<? extends Resource<?>>> hook) {
        beforeBatch = batch -> {
            beforeBatch = b -> { };
            hook.accept(batch);
        };
    }

    @Override
    public List<Resource<?>> createAll(List<? extends Resource<?>> resources) {
        beforeBatch.accept(resources);
        writes.incrementAndGet();
        return delegate.createAll(resources);
    }

    @Override
    public <S extends Spec> Resource<S> create(Resource<S> resource) {
        writes.incrementAndGet();
        return delegate.create(resource);
    }

    @Override
    public <S extends Spec> Resource<S> update(Resource<S> resource) {
        writes.incrementAndGet();
        return delegate.update(resource);
    }

    @Override
    public void delete(ResourceKey key) {
        writes.incrementAndGet();
        delegate.delete(key);
    }

    @Override
    public <S extends Spec> Optional<Resource<S>> get(ResourceType<S> type, String mesh, String name) {
        return delegate.get(type, mesh, name);
    }

    @Override
    public <S extends Spec> ResourcePage<S> list(ResourceType<S> type, ListQuery query) {
        return delegate.list(type, query);
    }

    @Override
    public long count(ResourceType<?> type, String mesh) {
        return delegate.count(type, mesh);
    }

    @Override
    public <T> T snapshot(Function<ResourceReader, T> reads) {
        return delegate.snapshot(reads);
    }

    @Override
    public AutoCloseable subscribe(ChangeListener listener) {
        return delegate.subscribe(listener);
    }

    @Override
    public String describe() {
        return "memory, with a hook before batches";
    }

    @Override
    public void close() {
        delegate.close();
    }
}
