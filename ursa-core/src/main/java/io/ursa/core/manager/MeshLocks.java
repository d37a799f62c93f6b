package io.ursa.core.manager;

import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One read-write lock per mesh name. Writes of the Mesh itself (create, update, delete) hold it exclusively;
 * writes of anything inside the mesh hold it shared. So a mesh cannot vanish or change its rules (constraints,
 * CA backends) under a write that just checked them, while writes inside one mesh still run in parallel and the
 * store can commit them together. Re-entrant: a mesh's default policies are created while its exclusive lock is
 * held.
 */
final class MeshLocks {
    /** A held lock; closing it releases it. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private final ConcurrentHashMap<String, ReentrantReadWriteLock> locks = new ConcurrentHashMap<>();

    /** The lock a write of {@code type} {@code mesh}/{@code name} needs. */
    Held lockFor(ResourceType<?> type, String mesh, String name) {
        if (type == ResourceTypes.MESH) {
            return hold(lockOf(name).writeLock());
        }
        if (type.isMeshScoped()) {
            return hold(lockOf(mesh).readLock());
        }
        return () -> { };
    }

    private ReentrantReadWriteLock lockOf(String mesh) {
        return locks.computeIfAbsent(mesh, m -> new ReentrantReadWriteLock());
    }

    private static Held hold(Lock lock) {
        lock.lock();
        return lock::unlock;
    }
}
