package io.ursa.xds.snapshot;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.SnapshotResources;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.ursa.xds.context.SharedResources;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.resources.Versions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Function;

/**
 * A java-control-plane snapshot made of {@link VersionedResource}s the caller already has. {@code Snapshot.create}
 * wraps every resource anew, hashing it (a deep {@code hashCode} and a SHA-256 per resource); resources that many
 * proxies share are wrapped once per mesh context instead, and each type's version is the one {@link Versions}
 * computed.
 */
final class VersionedSnapshot extends Snapshot {
    private final SnapshotResources<Cluster> clusters;
    private final SnapshotResources<ClusterLoadAssignment> endpoints;
    private final SnapshotResources<Listener> listeners;
    private final SnapshotResources<RouteConfiguration> routes;
    private final SnapshotResources<Secret> secrets;
    /** The clusters that the consistency check let be referenced without existing. */
    private final Set<String> checkedWithAbsent;

    private VersionedSnapshot(SnapshotResources<Cluster> clusters, SnapshotResources<ClusterLoadAssignment> endpoints,
                              SnapshotResources<Listener> listeners, SnapshotResources<RouteConfiguration> routes,
                              SnapshotResources<Secret> secrets, Set<String> checkedWithAbsent) {
        this.clusters = clusters;
        this.endpoints = endpoints;
        this.listeners = listeners;
        this.routes = routes;
        this.secrets = secrets;
        this.checkedWithAbsent = checkedWithAbsent;
    }

    /**
     * The snapshot of {@code resources} with the type versions {@code versions}; {@code wrap} gives each resource's
     * {@link VersionedResource} (e.g. remembered per shared instance). Equal versions mean equal resources, so the
     * resources of a type whose version another proxy of the mesh context has already are taken from
     * {@code shared}: replicas of a workload share their clusters and endpoints whole; and those of a type whose
     * version {@code previous} (the proxy's current snapshot, or null) has too are taken from {@code previous}, as
     * after a change most types of a proxy keep their version. {@code checkedWithAbsent} are the clusters the
     * consistency check of {@code resources} let be referenced without existing.
     */
    static Snapshot of(ResourceSet resources, Versions versions, SharedResources shared,
                       Function<Message, VersionedResource<Message>> wrap, Set<String> checkedWithAbsent,
                       Snapshot previous) {
        requireNonNull(resources, "resources");
        requireNonNull(versions, "versions");
        requireNonNull(shared, "shared");
        requireNonNull(wrap, "wrap");
        requireNonNull(checkedWithAbsent, "checkedWithAbsent");
        VersionedSnapshot before = previous instanceof VersionedSnapshot versioned ? versioned : null;
        return new VersionedSnapshot(
                of(resources, versions, EnvoyType.CLUSTER, shared, wrap, before),
                of(resources, versions, EnvoyType.CLUSTER_LOAD_ASSIGNMENT, shared, wrap, before),
                of(resources, versions, EnvoyType.LISTENER, shared, wrap, before),
                of(resources, versions, EnvoyType.ROUTE_CONFIGURATION, shared, wrap, before),
                of(resources, versions, EnvoyType.SECRET, shared, wrap, before),
                Set.copyOf(checkedWithAbsent));
    }

    /**
     * The version {@code previous} has for {@code type} when {@code resources} holds for it the instances
     * {@code previous} holds, or, when {@code byContent}, resources equal to them (compared by hash code, which
     * protobuf remembers and the digests need anyway, then by content): the same content, without serializing and
     * hashing it again. Null otherwise, or when {@code previous} is null or not a snapshot of this class.
     *
     * <p>Comparing by content pays after a narrow change: the resources a proxy shares with others are then the
     * instances it had, and its own (its inbound and admin listeners, built again for every update) are cheap to
     * compare, as their parts are shared instances. After any other change every resource is a new instance, and
     * comparing each proxy's by content would cost more than hashing the shared ones once.
     */
    static String versionOfEqualResources(Snapshot previous, EnvoyType type, ResourceSet resources,
                                          boolean byContent) {
        if (!(previous instanceof VersionedSnapshot before)) {
            return null;
        }
        Map<String, ? extends VersionedResource<?>> held = before.resourcesOf(type).versionedResources();
        SortedMap<String, Message> next = resources.byName(type);
        if (held.size() != next.size()) {
            return null;
        }
        for (Map.Entry<String, Message> entry : next.entrySet()) {
            VersionedResource<?> resource = held.get(entry.getKey());
            if (resource == null) {
                return null;
            }
            Message had = resource.resource();
            Message now = entry.getValue();
            if (had != now && (!byContent || had.hashCode() != now.hashCode() || !had.equals(now))) {
                return null;
            }
        }
        return before.version(type.typeUrl());
    }

    /**
     * Whether a consistency check of {@code resources} with {@code absentByDesign} must find what the check of
     * {@code previous} found (nothing): every type but the ClusterLoadAssignments has {@code previous}'s version,
     * hence its content, and the ClusterLoadAssignments have the same names (their content names nothing).
     */
    static boolean checkedAlready(Snapshot previous, ResourceSet resources, Versions versions,
                                  Set<String> absentByDesign) {
        if (!(previous instanceof VersionedSnapshot before) || !before.checkedWithAbsent.equals(absentByDesign)) {
            return false;
        }
        for (EnvoyType type : EnvoyType.values()) {
            if (type != EnvoyType.CLUSTER_LOAD_ASSIGNMENT
                    && !before.version(type.typeUrl()).equals(versions.of(type))) {
                return false;
            }
        }
        return before.endpoints.resources().keySet()
                .equals(resources.byName(EnvoyType.CLUSTER_LOAD_ASSIGNMENT).keySet());
    }

    private SnapshotResources<?> resourcesOf(EnvoyType type) {
        return switch (type) {
            case CLUSTER -> clusters;
            case CLUSTER_LOAD_ASSIGNMENT -> endpoints;
            case LISTENER -> listeners;
            case ROUTE_CONFIGURATION -> routes;
            case SECRET -> secrets;
        };
    }

    /** The key of a type's resources in {@link SharedResources}. */
    private record TypeVersion(EnvoyType type, String version) {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T extends Message> SnapshotResources<T> of(ResourceSet resources, Versions versions,
                                                               EnvoyType type, SharedResources shared,
                                                               Function<Message, VersionedResource<Message>> wrap,
                                                               VersionedSnapshot previous) {
        String version = versions.of(type);
        if (previous != null && previous.version(type.typeUrl()).equals(version)) {
            return (SnapshotResources<T>) previous.resourcesOf(type);
        }
        return shared.computeIfAbsent(new TypeVersion(type, version), () -> {
            List<VersionedResource<T>> wrapped = new ArrayList<>();
            for (Message resource : resources.byName(type).values()) {
                wrapped.add((VersionedResource) wrap.apply(resource));
            }
            return SnapshotResources.create(wrapped, names -> version);
        });
    }

    /**
     * The same as v3 {@code Snapshot}'s; declared again (raw, as both generic signatures erase to it) only because
     * javac does not see that method's generic signature as implementing the base class's.
     */
    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Map versionedResources(Resources.ResourceType type) {
        return super.versionedResources(type);
    }

    @Override
    public SnapshotResources<Cluster> clusters() {
        return clusters;
    }

    @Override
    public SnapshotResources<ClusterLoadAssignment> endpoints() {
        return endpoints;
    }

    @Override
    public SnapshotResources<Listener> listeners() {
        return listeners;
    }

    @Override
    public SnapshotResources<RouteConfiguration> routes() {
        return routes;
    }

    @Override
    public SnapshotResources<Secret> secrets() {
        return secrets;
    }
}
