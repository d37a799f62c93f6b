package io.ursa.core.store;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceMeta;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Scope;
import io.ursa.api.resource.Spec;
import io.ursa.core.event.ChangeBus;
import io.ursa.core.event.ChangeListener;
import io.ursa.core.event.ResourceChange;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * A store that keeps everything in memory and loses it on exit. For tests and throwaway setups only; it is the
 * baseline the embedded store is measured against. Writers take one lock; readers share it. Changes are
 * published while the writer still holds the lock, so listeners hear the changes of one resource in commit order.
 * A {@link #snapshot} holds the read lock for its whole duration, so writers wait for it; a write from inside a
 * snapshot is refused with {@link IllegalStateException} (it could never take the lock).
 */
public final class MemoryResourceStore implements ResourceStore {
    /** (mesh, name) ordered the way listings are ordered. */
    private record Id(String mesh, String name) implements Comparable<Id> {
        @Override
        public int compareTo(Id o) {
            int c = mesh.compareTo(o.mesh);
            return c != 0 ? c : name.compareTo(o.name);
        }
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<ResourceType<?>, TreeMap<Id, Resource<?>>> byType = new HashMap<>();
    private final ChangeBus bus = new ChangeBus();

    private TreeMap<Id, Resource<?>> table(ResourceType<?> type) {
        return byType.computeIfAbsent(type, t -> new TreeMap<>());
    }

    @Override
    public <T> T snapshot(Function<ResourceReader, T> reads) {
        lock.readLock().lock();
        try {
            return reads.apply(this);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Takes the write lock; refuses a thread that holds the read lock (in a snapshot), which would wait forever. */
    private void lockForWrite() {
        if (lock.getReadHoldCount() > 0) {
            throw new IllegalStateException("a write to the memory store from inside a snapshot read");
        }
        lock.writeLock().lock();
    }

    @Override
    public <S extends Spec> Resource<S> create(Resource<S> resource) {
        lockForWrite();
        try {
            TreeMap<Id, Resource<?>> table = table(resource.type());
            Id id = idOf(resource);
            if (table.containsKey(id)) {
                throw new AlreadyExistsException(keyOf(resource.type(), id));
            }
            ResourceMeta meta = resource.meta();
            Resource<S> stored = resource.withMeta(stored(id, 1, meta.creationTime(), meta.modificationTime()));
            table.put(id, stored);
            bus.publish(new ResourceChange(stored.key(), ResourceChange.Kind.CREATED, 1));
            return stored;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Checks every key first, then stores and announces them all, under one hold of the write lock. */
    @Override
    public List<Resource<?>> createAll(List<? extends Resource<?>> resources) {
        List<Resource<?>> given = List.copyOf(resources);
        lockForWrite();
        try {
            Set<ResourceKey> keys = new HashSet<>();
            for (Resource<?> resource : given) {
                Id id = idOf(resource);
                ResourceKey key = keyOf(resource.type(), id);
                if (!keys.add(key) || table(resource.type()).containsKey(id)) {
                    throw new AlreadyExistsException(key);
                }
            }
            List<Resource<?>> stored = new ArrayList<>(given.size());
            for (Resource<?> resource : given) {
                Id id = idOf(resource);
                ResourceMeta meta = resource.meta();
                Resource<?> r = resource.withMeta(stored(id, 1, meta.creationTime(), meta.modificationTime()));
                table(resource.type()).put(id, r);
                stored.add(r);
            }
            for (Resource<?> r : stored) {
                bus.publish(new ResourceChange(r.key(), ResourceChange.Kind.CREATED, 1));
            }
            return List.copyOf(stored);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public <S extends Spec> Resource<S> update(Resource<S> resource) {
        lockForWrite();
        try {
            TreeMap<Id, Resource<?>> table = table(resource.type());
            Id id = idOf(resource);
            Resource<?> current = table.get(id);
            if (current == null) {
                throw new NotFoundException(keyOf(resource.type(), id));
            }
            long version = current.meta().version();
            if (version != resource.meta().version()) {
                throw new ConflictException(current.key(), resource.meta().version(), version);
            }
            Resource<S> stored = resource.withMeta(stored(id, version + 1, current.meta().creationTime(),
                    resource.meta().modificationTime()));
            table.put(id, stored);
            bus.publish(new ResourceChange(stored.key(), ResourceChange.Kind.UPDATED, stored.meta().version()));
            return stored;
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void delete(ResourceKey key) {
        List<ResourceKey> deleted = new ArrayList<>();
        lockForWrite();
        try {
            if (table(key.type()).remove(new Id(key.mesh(), key.name())) == null) {
                throw new NotFoundException(key);
            }
            deleted.add(key);
            if (key.type() == ResourceTypes.MESH && !key.name().isEmpty()) {
                for (var entry : byType.entrySet()) {
                    if (entry.getKey().scope() != Scope.MESH) {
                        continue;
                    }
                    var children = entry.getValue().subMap(new Id(key.name(), ""), true,
                            new Id(key.name() + "\0", ""), false);
                    for (Resource<?> child : children.values()) {
                        deleted.add(child.key());
                    }
                    children.clear();
                }
            }
            for (ResourceKey k : deleted) {
                bus.publish(new ResourceChange(k, ResourceChange.Kind.DELETED, 0));
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S extends Spec> Optional<Resource<S>> get(ResourceType<S> type, String mesh, String name) {
        lock.readLock().lock();
        try {
            TreeMap<Id, Resource<?>> table = byType.get(type);
            return table == null ? Optional.empty()
                    : Optional.ofNullable((Resource<S>) table.get(new Id(meshOf(type, mesh), name)));
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S extends Spec> ResourcePage<S> list(ResourceType<S> type, ListQuery query) {
        lock.readLock().lock();
        try {
            TreeMap<Id, Resource<?>> table = byType.get(type);
            if (table == null) {
                return new ResourcePage<>(List.of(), 0);
            }
            Map<Id, Resource<?>> scope = table;
            String mesh = meshOf(type, query.mesh());
            if (!mesh.isEmpty()) {
                scope = table.subMap(new Id(mesh, ""), true, new Id(mesh + "\0", ""), false);
            }
            List<Resource<S>> items = new ArrayList<>();
            long total = 0;
            for (Resource<?> r : scope.values()) {
                if (!query.nameContains().isEmpty() && !r.name().contains(query.nameContains())) {
                    continue;
                }
                if (total >= query.offset() && (query.limit() == 0 || items.size() < query.limit())) {
                    items.add((Resource<S>) r);
                }
                total++;
            }
            return new ResourcePage<>(items, total);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public long count(ResourceType<?> type, String mesh) {
        return list(type, ListQuery.inMesh(mesh)).total();
    }

    @Override
    public AutoCloseable subscribe(ChangeListener listener) {
        return bus.subscribe(listener);
    }

    @Override
    public String describe() {
        return "memory (not durable)";
    }

    @Override
    public void close() {
    }

    private static String meshOf(ResourceType<?> type, String mesh) {
        return type.scope() == Scope.GLOBAL ? "" : mesh;
    }

    private static Id idOf(Resource<?> resource) {
        return new Id(meshOf(resource.type(), resource.mesh()), resource.name());
    }

    private static ResourceKey keyOf(ResourceType<?> type, Id id) {
        return new ResourceKey(type, id.mesh(), id.name());
    }

    /** The meta as stored: global types without a mesh, times at millisecond precision. */
    private static ResourceMeta stored(Id id, long version, Instant created, Instant modified) {
        return new ResourceMeta(id.mesh(), id.name(), version, created.truncatedTo(ChronoUnit.MILLIS),
                modified.truncatedTo(ChronoUnit.MILLIS));
    }
}
