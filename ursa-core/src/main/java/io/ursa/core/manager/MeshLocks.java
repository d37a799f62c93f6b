package io.ursa.core.manager;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per mesh name. Every write that depends on a mesh's state (the mesh itself, anything created in it,
 * dataplane admission, mesh deletion) holds its mesh's lock, so a mesh cannot vanish under a write that just
 * checked it exists. Writes in different meshes do not contend. Locks are re-entrant: creating a mesh's default
 * policies happens while the mesh's own lock is held.
 */
final class MeshLocks {
    /** A held lock; closing it releases it. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    Held lock(String mesh) {
        ReentrantLock lock = locks.computeIfAbsent(mesh, m -> new ReentrantLock());
        lock.lock();
        return lock::unlock;
    }
}
