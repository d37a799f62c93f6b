package io.ursa.xds.snapshot;

import static java.util.Objects.requireNonNull;

import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.SharedResources;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.resources.Versions;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The current snapshot of every proxy, in a java-control-plane {@link SimpleCache} keyed by node id
 * {@code <mesh>.<name>} (envoy-config §8.1), ready to back an ADS server.
 *
 * <p>{@link #update} checks and versions the resources with {@link SnapshotAssembler#forProxy} and sets a new
 * snapshot only when at least one type's content version changed, so unchanged content is never re-pushed
 * (STYLE.md rule 7).
 *
 * <p><b>Make before break.</b> The state-of-the-world protocol answers each type on its own, so a proxy may take the
 * new clusters before the new routes or the other way round. When an update drops clusters (a route now leads
 * elsewhere: {@code backend} became {@code backend-_0_}), taking the clusters first would leave the old routes
 * pointing at clusters that no longer exist, and calls fail until the routes arrive (grpc-xds: {@code CDS resource
 * backend does not exist}; Envoy: {@code 503 NC}). So such an update is set in two steps: first a <em>bridge</em>
 * snapshot, the new resources plus the dropped clusters, their endpoints and the Secrets dropped with them (the CA
 * of a cross-mesh gateway's mesh), and then, once the proxy has
 * acknowledged the bridge's listeners and routes ({@link #acknowledged}), the new resources alone. An update that
 * comes before that acknowledgement starts again from the bridge, so a dropped cluster stays until the routes that
 * last used it are gone from the proxy. Thread-safe: assembling runs unlocked; the compare-and-set of one update is atomic. Updates
 * of one proxy are expected from one thread (its regeneration loop); of two concurrent ones the later set wins.
 */
public final class ProxySnapshots {
    private final SimpleCache<String> cache = new SimpleCache<>(node -> node.getId());
    /**
     * Striped by node id: an update's compare-and-set (and the pushes to the node's open watches that setting a
     * snapshot does) excludes only updates of nodes in the same stripe, so proxies are pushed in parallel.
     */
    private final Object[] locks = new Object[64];
    /** Bridged nodes: the snapshot to set once the proxy acknowledged the bridge's listeners and routes. */
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    /** The final snapshot of a bridged node, and the (type, version) acknowledgements it waits for. */
    private record Pending(Snapshot bridge, Snapshot next, Map<EnvoyType, String> awaited) {
    }

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
        // shared by the proxies of the mesh context are hashed and checked once, and a type whose resources are
        // (after a narrow change: equal to) those of the current snapshot keeps its version without hashing.
        SharedResources shared = proxy.mesh().shared();
        Snapshot before = cache.getSnapshot(nodeId);
        boolean byContent = shared.followsNarrowChange();
        Versions versions = Versions.of(resources, r -> SnapshotAssembler.digest(shared, r),
                type -> VersionedSnapshot.versionOfEqualResources(before, type, resources, byContent));
        if (pending.get(nodeId) == null && sameVersions(before, versions)) {
            return false;
        }
        SnapshotAssembler assembler = SnapshotAssembler.forProxy(proxy);
        Snapshot next = assembler.assemble(resources, versions, "node " + nodeId, shared, before);
        synchronized (lockOf(nodeId)) {
            Pending bridged = pending.get(nodeId);
            if (bridged != null && sameVersions(bridged.next(), versions)) {
                return false; // the same update again: the bridge to it is in place
            }
            Snapshot current = cache.getSnapshot(nodeId);
            if (bridged == null && sameVersions(current, versions)) {
                return false;
            }
            ResourceSet dropped = dropped(current, resources);
            if (dropped.isEmpty()) {
                pending.remove(nodeId);
                cache.setSnapshot(nodeId, next);
                return true;
            }
            ResourceSet bridgeResources = resources.merge(dropped);
            Versions bridgeVersions = Versions.of(bridgeResources, r -> SnapshotAssembler.digest(shared, r));
            Snapshot bridge = assembler.assemble(bridgeResources, bridgeVersions, "node " + nodeId, shared, current);
            Map<EnvoyType, String> awaited = new EnumMap<>(EnvoyType.class);
            for (EnvoyType type : List.of(EnvoyType.LISTENER, EnvoyType.ROUTE_CONFIGURATION)) {
                if (current == null || !current.version(type.typeUrl()).equals(bridgeVersions.of(type))) {
                    awaited.put(type, bridgeVersions.of(type));
                }
            }
            if (awaited.isEmpty()) {
                // no listener or route changed, so none used the dropped clusters: nothing to bridge
                pending.remove(nodeId);
                cache.setSnapshot(nodeId, next);
                return true;
            }
            pending.put(nodeId, new Pending(bridge, next, awaited));
            cache.setSnapshot(nodeId, bridge);
            return true;
        }
    }

    /**
     * The proxy {@code nodeId} acknowledged {@code version} of {@code type}: when that completes the
     * acknowledgements a bridge waits for, its final snapshot is set (and pushed).
     *
     * @return whether a final snapshot was set
     */
    public boolean acknowledged(String nodeId, EnvoyType type, String version) {
        requireNonNull(nodeId, "nodeId");
        requireNonNull(type, "type");
        requireNonNull(version, "version");
        if (pending.get(nodeId) == null) {
            return false;
        }
        synchronized (lockOf(nodeId)) {
            Pending bridged = pending.get(nodeId);
            if (bridged == null || !version.equals(bridged.awaited().get(type))) {
                return false;
            }
            Map<EnvoyType, String> awaited = new EnumMap<>(bridged.awaited());
            awaited.remove(type);
            if (!awaited.isEmpty()) {
                pending.put(nodeId, new Pending(bridged.bridge(), bridged.next(), awaited));
                return false;
            }
            pending.remove(nodeId);
            if (cache.getSnapshot(nodeId) != bridged.bridge()) {
                return false;
            }
            cache.setSnapshot(nodeId, bridged.next());
            return true;
        }
    }

    /** Whether the proxy is between a bridge and its final snapshot. */
    public boolean bridging(String nodeId) {
        return pending.containsKey(requireNonNull(nodeId, "nodeId"));
    }

    /** The clusters of {@code current} that {@code next} no longer has, with their endpoints. */
    private static ResourceSet dropped(Snapshot current, ResourceSet next) {
        if (current == null) {
            return ResourceSet.empty();
        }
        Map<String, Cluster> clusters = current.clusters().resources();
        Map<String, ClusterLoadAssignment> endpoints = current.endpoints().resources();
        Set<String> kept = next.byName(EnvoyType.CLUSTER).keySet();
        Set<String> keptEndpoints = next.byName(EnvoyType.CLUSTER_LOAD_ASSIGNMENT).keySet();
        ResourceSet.Builder dropped = ResourceSet.builder();
        boolean[] anyCluster = {false};
        clusters.forEach((name, cluster) -> {
            if (!kept.contains(name)) {
                anyCluster[0] = true;
                dropped.add(cluster);
                ClusterLoadAssignment assignment = endpoints.get(name);
                if (assignment != null && !keptEndpoints.contains(name)) {
                    dropped.add(assignment);
                }
            }
        });
        if (anyCluster[0]) {
            // a dropped cluster may name a Secret that goes with it (the CA of another mesh's cross-mesh gateway)
            Set<String> keptSecrets = next.byName(EnvoyType.SECRET).keySet();
            current.secrets().resources().forEach((name, secret) -> {
                if (!keptSecrets.contains(name)) {
                    dropped.add(secret);
                }
            });
        }
        return dropped.build();
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
            boolean removed = cache.clearSnapshot(nodeId);
            if (removed) {
                pending.remove(nodeId);
            }
            return removed;
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
