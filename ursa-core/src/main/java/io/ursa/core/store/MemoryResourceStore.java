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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A store that keeps everything in memory and loses it on exit. For tests and throwaway setups only; it is the
 * baseline the embedded store is measured against. Writers take one lock; readers share it.
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
    public <S extends Spec> Resource<S> create(Resource<S> resource) {
        Resource<S> stored;
        lock.writeLock().lock();
        try {
            TreeMap<Id, Resource<?>> table = table(resource.type());
            Id id = new Id(resource.mesh(), resource.name());
            if (table.containsKey(id)) {
                throw new AlreadyExistsException(resource.key());
            }
            stored = resource.withMeta(normalize(resource.meta()).withVersion(1));
            table.put(id, stored);
        } finally {
            lock.writeLock().unlock();
        }
        bus.publish(new ResourceChange(stored.key(), ResourceChange.Kind.CREATED, 1));
        return stored;
    }

    @Override
    public <S extends Spec> Resource<S> update(Resource<S> resource) {
        Resource<S> stored;
        lock.writeLock().lock();
        try {
            TreeMap<Id, Resource<?>> table = table(resource.type());
            Id id = new Id(resource.mesh(), resource.name());
            Resource<?> current = table.get(id);
            if (current == null) {
                throw new NotFoundException(resource.key());
            }
            long version = current.meta().version();
            if (version != resource.meta().version()) {
                throw new ConflictException(resource.key(), resource.meta().version(), version);
            }
            stored = resource.withMeta(normalize(resource.meta()).withVersion(version + 1));
            table.put(id, stored);
        } finally {
            lock.writeLock().unlock();
        }
        bus.publish(new ResourceChange(stored.key(), ResourceChange.Kind.UPDATED, stored.meta().version()));
        return stored;
    }

    @Override
    public void delete(ResourceKey key) {
        List<ResourceKey> deleted = new ArrayList<>();
        lock.writeLock().lock();
        try {
            if (table(key.type()).remove(new Id(key.mesh(), key.name())) == null) {
                throw new NotFoundException(key);
            }
            deleted.add(key);
            if (key.type() == ResourceTypes.MESH) {
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
        } finally {
            lock.writeLock().unlock();
        }
        for (ResourceKey k : deleted) {
            bus.publish(new ResourceChange(k, ResourceChange.Kind.DELETED, 0));
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

    private static ResourceMeta normalize(ResourceMeta meta) {
        return meta.withTimes(meta.creationTime().truncatedTo(ChronoUnit.MILLIS),
                meta.modificationTime().truncatedTo(ChronoUnit.MILLIS));
    }
}
