package io.ursa.xds.snapshot;

import static java.util.Objects.requireNonNull;

import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.SharedResources;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.resources.Versions;
import java.util.Optional;

/**
 * The current snapshot of every proxy, in a java-control-plane {@link SimpleCache} keyed by node id
 * {@code <mesh>.<name>} (envoy-config §8.1), ready to back an ADS server.
 *
 * <p>{@link #update} checks and versions the resources with {@link SnapshotAssembler#forProxy} and sets a new
 * snapshot only when at least one type's content version changed, so unchanged content is never re-pushed
 * (STYLE.md rule 7). Thread-safe: assembling runs unlocked; the compare-and-set of one update is atomic. Updates
 * of one proxy are expected from one thread (its regeneration loop); of two concurrent ones the later set wins.
 */
public final class ProxySnapshots {
    private final SimpleCache<String> cache = new SimpleCache<>(node -> node.getId());
    /**
     * Striped by node id: an update's compare-and-set (and the pushes to the node's open watches that setting a
     * snapshot does) excludes only updates of nodes in the same stripe, so proxies are pushed in parallel.
     */
    private final Object[] locks = new Object[64];

    public ProxySnapshots() {
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    private Object lockOf(String nodeId) {
        return locks[Math.floorMod(nodeId.hashCode(), locks.length)];
    }

    /** The cache to serve ADS from, e.g. {@code new V3DiscoveryServer(snapshots.cache())}. */
    public SimpleCache<String> cache() {
        return cache;
    }

    /** {@code <mesh>.<name>} of the proxy's Dataplane; fails on a mesh with a dot, which Kuma could not split. */
    public static String nodeId(ProxyContext proxy) {
        requireNonNull(proxy, "proxy");
        return EnvoyNames.nodeId(proxy.dataplane().mesh(), proxy.dataplane().name());
    }

    /**
     * Sets the proxy's snapshot to {@code resources} when any type's version differs from the current snapshot's.
     *
     * @return whether a new snapshot was set (and so pushed to open watches)
     * @throws InconsistentSnapshotException when the resources are inconsistent; the current snapshot stays
     */
    public boolean update(ProxyContext proxy, ResourceSet resources) {
        requireNonNull(proxy, "proxy");
        requireNonNull(resources, "resources");
        String nodeId = nodeId(proxy);
        // Versions first: unchanged content skips the consistency check and the cache's own hashing. Resources
        // shared by the proxies of the mesh context are hashed and checked once.
        SharedResources shared = proxy.mesh().shared();
        Versions versions = Versions.of(resources, r -> SnapshotAssembler.digest(shared, r));
        if (sameVersions(cache.getSnapshot(nodeId), versions)) {
            return false;
        }
        Snapshot next = SnapshotAssembler.forProxy(proxy).assemble(resources, versions, "node " + nodeId, shared);
        synchronized (lockOf(nodeId)) {
            if (sameVersions(cache.getSnapshot(nodeId), versions)) {
                return false;
            }
            cache.setSnapshot(nodeId, next);
            return true;
        }
    }

    /**
     * Sets the snapshot of the zone proxy {@code nodeId} (a ZoneEgress, which has no mesh context) to
     * {@code resources} when any type's version differs from its current snapshot's; every reference must resolve.
     *
     * @return whether a new snapshot was set
     * @throws InconsistentSnapshotException when the resources are inconsistent; the current snapshot stays
     */
    public boolean updateZoneProxy(String nodeId, ResourceSet resources) {
        requireNonNull(nodeId, "nodeId");
        requireNonNull(resources, "resources");
        SharedResources shared = new SharedResources();
        Versions versions = Versions.of(resources, r -> SnapshotAssembler.digest(shared, r));
        synchronized (lockOf(nodeId)) {
            if (sameVersions(cache.getSnapshot(nodeId), versions)) {
                return false;
            }
            cache.setSnapshot(nodeId, SnapshotAssembler.strict().assemble(resources, versions, "node " + nodeId,
                    shared));
            return true;
        }
    }

    /** The proxy's current snapshot, or empty when it has none. */
    public Optional<Snapshot> snapshot(String nodeId) {
        return Optional.ofNullable(cache.getSnapshot(requireNonNull(nodeId, "nodeId")));
    }

    /**
     * Drops the proxy's snapshot, e.g. when its stream closes (envoy-config §8.8).
     *
     * @return whether it was dropped; false when the node still has open watches (SimpleCache refuses then)
     */
    public boolean remove(String nodeId) {
        requireNonNull(nodeId, "nodeId");
        synchronized (lockOf(nodeId)) {
            return cache.clearSnapshot(nodeId);
        }
    }

    private static boolean sameVersions(Snapshot current, Versions next) {
        if (current == null) {
            return false;
        }
        for (EnvoyType type : EnvoyType.values()) {
            if (!current.version(type.typeUrl()).equals(next.of(type))) {
                return false;
            }
        }
        return true;
    }
}
