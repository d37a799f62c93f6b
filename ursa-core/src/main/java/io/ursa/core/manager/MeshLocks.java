package io.ursa.core.manager;

import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One read-write lock per mesh name. Writes of the Mesh itself (create, update, delete) hold it exclusively;
 * writes of anything inside the mesh hold it shared. So a mesh cannot vanish or change its rules (constraints,
 * CA backends) under a write that just checked them, while writes inside one mesh still run in parallel and the
 * store can commit them together. Re-entrant: a mesh's default policies are created while its exclusive lock is
 * held.
 *
 * <p>Writes of one resource are also serialized among themselves, by one of {@value #STRIPES} striped locks taken
 * after the mesh's: two plain PUTs of one resource then never race to the store, where the later one would find a
 * version it did not read. Locks are always taken in that order (mesh, then stripe), so they cannot deadlock.
 */
final class MeshLocks {
    /** A held lock; closing it releases it. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private static final int STRIPES = 64;

    private final ConcurrentHashMap<String, ReentrantReadWriteLock> locks = new ConcurrentHashMap<>();
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    MeshLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /** The locks a write of {@code type} {@code mesh}/{@code name} needs. */
    Held lockFor(ResourceType<?> type, String mesh, String name) {
        if (type == ResourceTypes.MESH) {
            return hold(lockOf(name).writeLock());
        }
        Lock resource = stripes[Math.floorMod((type.name() + '\0' + mesh + '\0' + name).hashCode(), STRIPES)];
        if (type.isMeshScoped()) {
            Held meshHeld = hold(lockOf(mesh).readLock());
            resource.lock();
            return () -> {
                resource.unlock();
                meshHeld.close();
            };
        }
        return hold(resource);
    }

    private ReentrantReadWriteLock lockOf(String mesh) {
        return locks.computeIfAbsent(mesh, m -> new ReentrantReadWriteLock());
    }

    private static Held hold(Lock lock) {
        lock.lock();
        return lock::unlock;
    }
}
