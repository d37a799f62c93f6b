package io.ursa.xds.envoy.endpoints;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.ursa.api.spec.Tags;
import io.ursa.xds.context.Endpoint;
import io.ursa.xds.envoy.listeners.ListenerConfigurers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ClusterLoadAssignments of EDS clusters ({@code kuma-2.0-envoy-config.md} §3.7, Kuma's
 * {@code pkg/xds/envoy/endpoints/v3/endpoints.go}).
 */
public final class ClusterLoadAssignments {
    /** The filter-metadata keys under which every endpoint carries its tags (minus {@code kuma.io/service}). */
    public static final String LB_METADATA_KEY = "envoy.lb";
    public static final String TRANSPORT_SOCKET_MATCH_METADATA_KEY = "envoy.transport_socket_match";

    private static final Comparator<Endpoint> ORDER = Comparator.comparing(Endpoint::address)
            .thenComparingInt(Endpoint::port)
            .thenComparing(Endpoint::dataplane);

    private ClusterLoadAssignments() {
    }

    /**
     * The CLA {@code clusterName} of {@code endpoints}: one locality group per {@code kuma.io/zone} (no locality
     * for endpoints without it), groups ordered by zone, endpoints by address and port. Every group has
     * {@code loadBalancingWeight: 1}, because gRPC's xDS client drops a locality without a weight (stack-notes P6);
     * every endpoint has weight 1 and, when it has tags besides {@code kuma.io/service}, those tags as
     * {@code envoy.lb} and {@code envoy.transport_socket_match} metadata. No endpoints give a CLA without
     * endpoints, which ADS still needs because the cluster names it.
     */
    public static ClusterLoadAssignment of(String clusterName, List<Endpoint> endpoints) {
        requireNonNull(clusterName, "clusterName");
        Map<String, List<Endpoint>> byZone = new TreeMap<>();
        for (Endpoint endpoint : requireNonNull(endpoints, "endpoints")) {
            byZone.computeIfAbsent(endpoint.tags().getOrDefault(Tags.ZONE, ""), z -> new ArrayList<>()).add(endpoint);
        }
        ClusterLoadAssignment.Builder cla = ClusterLoadAssignment.newBuilder().setClusterName(clusterName);
        byZone.forEach((zone, list) -> {
            LocalityLbEndpoints.Builder group = LocalityLbEndpoints.newBuilder()
                    .setLoadBalancingWeight(UInt32Value.of(1));
            if (!zone.isEmpty()) {
                group.setLocality(Locality.newBuilder().setZone(zone));
            }
            list.stream().sorted(ORDER).forEach(e -> group.addLbEndpoints(lbEndpoint(e)));
            cla.addEndpoints(group);
        });
        return cla.build();
    }

    private static LbEndpoint lbEndpoint(Endpoint endpoint) {
        LbEndpoint.Builder lb = LbEndpoint.newBuilder()
                .setEndpoint(io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder()
                        .setAddress(ListenerConfigurers.socketAddress(endpoint.address(), endpoint.port())))
                .setLoadBalancingWeight(UInt32Value.of(1));
        Struct.Builder tags = Struct.newBuilder();
        endpoint.tags().forEach((key, value) -> {
            if (!key.equals(Tags.SERVICE)) {
                tags.putFields(key, Value.newBuilder().setStringValue(value).build());
            }
        });
        if (tags.getFieldsCount() > 0) {
            Struct struct = tags.build();
            lb.setMetadata(Metadata.newBuilder()
                    .putFilterMetadata(LB_METADATA_KEY, struct)
                    .putFilterMetadata(TRANSPORT_SOCKET_MATCH_METADATA_KEY, struct));
        }
        return lb.build();
    }
}
