package io.ursa.xds.generator;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.policy.TimeoutSpec;
import io.ursa.api.policy.TrafficRouteSpec;
import io.ursa.api.spec.Tags;
import io.ursa.xds.context.Endpoint;
import io.ursa.xds.names.EnvoyNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The clusters that the TrafficRoutes of one proxy send its outbound traffic to, collected over all of its
 * destinations during one generation (Kuma's per-proxy cluster naming, envoy-config §3): a destination with only
 * {@code kuma.io/service} is the cluster {@code <service>}; one with more tags is a split cluster
 * {@code <service>-_<n>_}, numbered in the order they are first met; destinations with the same tags share one
 * cluster. Shared by the Envoy {@link OutboundGenerator} and the proxyless {@link GrpcClientGenerator}, so that
 * both name and select clusters the same way. Not thread-safe: one instance per generation.
 *
 * <p>A destination with {@code kuma.io/mesh: <M>} (the outbound of a cross-mesh gateway listener, whose tags the
 * route's {@code '*'} values take) goes to mesh M's gateways: its cluster's name gets {@code _<M>} appended, as
 * Kuma's does, and its tags leave {@code kuma.io/mesh} out. Such a destination is kept only when M is a mesh whose
 * cross-mesh listeners the proxy's mesh reaches ({@link io.ursa.xds.context.CrossMesh}); any other is dropped, so
 * a TrafficRoute cannot open a way into another mesh.
 */
final class RouteTargets {
    /** The destination tag of a cross-mesh destination; never a listener or cluster tag. */
    static final String MESH_TAG = Tags.MESH;

    /**
     * One EDS cluster: its name, its service, the tags its endpoints must have, and the other mesh whose cross-mesh
     * gateways it goes to (empty for the proxy's own mesh).
     */
    record ClusterPlan(String name, String service, Map<String, String> tags,
                       Optional<TimeoutSpec.Conf> timeout, TrafficRouteSpec.LoadBalancer loadBalancer,
                       Optional<String> upstreamMesh) {
        /** A cluster of the proxy's own mesh. */
        ClusterPlan(String name, String service, Map<String, String> tags, Optional<TimeoutSpec.Conf> timeout,
                    TrafficRouteSpec.LoadBalancer loadBalancer) {
            this(name, service, tags, timeout, loadBalancer, Optional.empty());
        }
    }

    /** A cluster an outbound sends traffic to, with its weight. */
    record Target(String cluster, String service, long weight) {
    }

    private final Map<String, ClusterPlan> byName = new LinkedHashMap<>();
    private final Map<String, String> nameByTags = new HashMap<>();
    private final Set<String> reachableMeshes;
    private int splitCounter;

    /** Targets of a proxy whose mesh reaches the cross-mesh listeners of {@code reachableMeshes}. */
    RouteTargets(Set<String> reachableMeshes) {
        this.reachableMeshes = Set.copyOf(reachableMeshes);
    }

    /**
     * The route action's destination: the single cluster, or weighted clusters (uint32 weights; Envoy also gets
     * their total, which grpc-xds ignores).
     */
    static void routeTo(List<Target> targets, RouteAction.Builder action, TotalWeight total) {
        if (targets.size() == 1) {
            action.setCluster(targets.get(0).cluster());
            return;
        }
        WeightedCluster.Builder weighted = WeightedCluster.newBuilder();
        targets.forEach(t -> weighted.addClusters(WeightedCluster.ClusterWeight.newBuilder()
                .setName(t.cluster()).setWeight(UInt32Value.of((int) t.weight()))));
        if (total == TotalWeight.SET) {
            weighted.setTotalWeight(UInt32Value.of((int) targets.stream().mapToLong(Target::weight).sum()));
        }
        action.setWeightedClusters(weighted);
    }

    /** Whether weighted clusters carry their (deprecated in Envoy, ignored by gRPC) total weight. */
    enum TotalWeight {
        SET,
        OMITTED
    }

    /** Every cluster some {@link #targets} call returned, in the order they were first met. */
    Collection<ClusterPlan> plans() {
        return Collections.unmodifiableCollection(byName.values());
    }

    /**
     * The clusters of the route's {@code split}, or of its {@code destination} with weight 1. A {@code '*'} tag
     * value is replaced by the outbound's tags (Kuma's {@code resolveTrafficRouteWildcards}); entries with weight
     * 0, without {@code kuma.io/service}, or in another mesh are dropped.
     */
    List<Target> targets(TrafficRouteSpec.Conf conf, Map<String, String> outboundTags,
                         Optional<TimeoutSpec.Conf> timeout) {
        return targets(conf.split(), conf.destination(), conf.loadBalancer(), outboundTags, timeout);
    }

    /** Like {@link #targets(TrafficRouteSpec.Conf, Map, Optional)}, for one {@code conf.http[]} entry. */
    List<Target> targets(TrafficRouteSpec.Http http, TrafficRouteSpec.LoadBalancer loadBalancer,
                         Map<String, String> outboundTags, Optional<TimeoutSpec.Conf> timeout) {
        return targets(http.split(), http.destination(), loadBalancer, outboundTags, timeout);
    }

    private List<Target> targets(List<TrafficRouteSpec.Split> entries, Map<String, String> single,
                                 TrafficRouteSpec.LoadBalancer loadBalancer, Map<String, String> outboundTags,
                                 Optional<TimeoutSpec.Conf> timeout) {
        List<Target> targets = new ArrayList<>();
        if (entries.isEmpty()) {
            if (!single.isEmpty()) {
                add(targets, 1L, single, loadBalancer, outboundTags, timeout);
            }
            return targets;
        }
        for (TrafficRouteSpec.Split split : entries) {
            add(targets, split.weight() == null ? 0 : split.weight(), split.destination(), loadBalancer, outboundTags,
                    timeout);
        }
        return targets;
    }

    /** Adds the target of one {@code split} entry (or of the {@code destination}, with weight 1), unless dropped. */
    private void add(List<Target> targets, long weight, Map<String, String> routeTags,
                     TrafficRouteSpec.LoadBalancer loadBalancer, Map<String, String> outboundTags,
                     Optional<TimeoutSpec.Conf> timeout) {
        Map<String, String> destination = resolveWildcards(routeTags, outboundTags);
        String service = destination.get(Tags.SERVICE);
        Optional<String> upstreamMesh = Optional.ofNullable(destination.get(MESH_TAG));
        if (weight == 0 || service == null || upstreamMesh.isPresent()
                && !reachableMeshes.contains(upstreamMesh.get())) {
            return;
        }
        String base = destination.size() > 1
                ? EnvoyNames.splitCluster(service, splitCounter++)
                : EnvoyNames.outboundCluster(service);
        String candidate = upstreamMesh.map(mesh -> EnvoyNames.crossMeshCluster(base, mesh)).orElse(base);
        StringBuilder key = new StringBuilder();
        destination.forEach((tag, value) -> key.append(key.isEmpty() ? "" : ",").append(tag).append('=').append(value));
        String name = nameByTags.computeIfAbsent(key.toString(), k -> candidate);
        if (!byName.containsKey(name)) {
            Map<String, String> clusterTags = new TreeMap<>(destination);
            clusterTags.remove(MESH_TAG);
            byName.put(name, new ClusterPlan(name, service, clusterTags, timeout, loadBalancer, upstreamMesh));
        }
        targets.add(new Target(name, service, weight));
    }

    /** An outbound's tags, with the legacy {@code service} field as {@code kuma.io/service} when the tags lack it. */
    static Map<String, String> tagsIncludingLegacy(DataplaneSpec.Outbound outbound) {
        Map<String, String> tags = new TreeMap<>(outbound.tags());
        if (!outbound.service().isEmpty()) {
            tags.putIfAbsent(Tags.SERVICE, outbound.service());
        }
        return tags;
    }

    /** The endpoints among {@code endpoints} whose tags contain every tag of {@code plan}. */
    static List<Endpoint> matching(List<Endpoint> endpoints, ClusterPlan plan) {
        return endpoints.stream()
                .filter(e -> plan.tags().entrySet().stream()
                        .allMatch(t -> t.getValue().equals(e.tags().get(t.getKey()))))
                .toList();
    }

    private static Map<String, String> resolveWildcards(Map<String, String> routeTags,
                                                        Map<String, String> outboundTags) {
        Map<String, String> resolved = new TreeMap<>();
        routeTags.forEach((key, value) -> {
            if (!value.equals("*")) {
                resolved.put(key, value);
            }
        });
        outboundTags.forEach(resolved::putIfAbsent);
        return resolved;
    }
}
