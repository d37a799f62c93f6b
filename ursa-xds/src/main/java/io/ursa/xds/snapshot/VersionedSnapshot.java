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

    private VersionedSnapshot(SnapshotResources<Cluster> clusters, SnapshotResources<ClusterLoadAssignment> endpoints,
                              SnapshotResources<Listener> listeners, SnapshotResources<RouteConfiguration> routes,
                              SnapshotResources<Secret> secrets) {
        this.clusters = clusters;
        this.endpoints = endpoints;
        this.listeners = listeners;
        this.routes = routes;
        this.secrets = secrets;
    }

    /**
     * The snapshot of {@code resources} with the type versions {@code versions}; {@code wrap} gives each resource's
     * {@link VersionedResource} (e.g. remembered per shared instance). Equal versions mean equal resources, so the
     * resources of a type whose version another proxy of the mesh context has already are taken from
     * {@code shared}: replicas of a workload share their clusters and endpoints whole.
     */
    static Snapshot of(ResourceSet resources, Versions versions, SharedResources shared,
                       Function<Message, VersionedResource<Message>> wrap) {
        requireNonNull(resources, "resources");
        requireNonNull(versions, "versions");
        requireNonNull(shared, "shared");
        requireNonNull(wrap, "wrap");
        return new VersionedSnapshot(
                of(resources, versions, EnvoyType.CLUSTER, shared, wrap),
                of(resources, versions, EnvoyType.CLUSTER_LOAD_ASSIGNMENT, shared, wrap),
                of(resources, versions, EnvoyType.LISTENER, shared, wrap),
                of(resources, versions, EnvoyType.ROUTE_CONFIGURATION, shared, wrap),
                of(resources, versions, EnvoyType.SECRET, shared, wrap));
    }

    /** The key of a type's resources in {@link SharedResources}. */
    private record TypeVersion(EnvoyType type, String version) {
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T extends Message> SnapshotResources<T> of(ResourceSet resources, Versions versions,
                                                               EnvoyType type, SharedResources shared,
                                                               Function<Message, VersionedResource<Message>> wrap) {
        String version = versions.of(type);
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
