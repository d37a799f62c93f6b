package io.ursa.xds.envoy.listeners;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.ursa.xds.envoy.Configurer;
import io.ursa.xds.envoy.Protos;
import java.time.Duration;
import java.util.List;

/** The single-aspect configurers of a {@link TcpProxy} (see {@link NetworkFilters#tcpProxy(String, List)}). */
public final class TcpProxyConfigurers {

    /** An upstream cluster and its weight. */
    public record WeightedCluster(String name, long weight) {
        public WeightedCluster {
            requireNonNull(name, "name");
            if (weight < 1) {
                throw new IllegalArgumentException("invalid weight of " + name + ": " + weight + " (expected: >= 1)");
            }
        }
    }

    private TcpProxyConfigurers() {
    }

    /**
     * The upstream: {@code cluster} when there is one, else {@code weightedClusters} without a total weight (the
     * sum is implied).
     */
    public static Configurer<TcpProxy.Builder> clusters(List<WeightedCluster> clusters) {
        List<WeightedCluster> copy = List.copyOf(requireNonNull(clusters, "clusters"));
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("invalid tcp_proxy upstream: no clusters (expected: at least one)");
        }
        if (copy.size() == 1) {
            String name = copy.get(0).name();
            return tcp -> tcp.setCluster(name);
        }
        TcpProxy.WeightedCluster.Builder weighted = TcpProxy.WeightedCluster.newBuilder();
        copy.forEach(c -> weighted.addClusters(TcpProxy.WeightedCluster.ClusterWeight.newBuilder()
                .setName(c.name()).setWeight((int) c.weight())));
        TcpProxy.WeightedCluster value = weighted.build();
        return tcp -> tcp.setWeightedClusters(value);
    }

    /** {@code idleTimeout}; an explicit {@code 0s} disables it. */
    public static Configurer<TcpProxy.Builder> idleTimeout(Duration timeout) {
        com.google.protobuf.Duration value = Protos.duration(timeout);
        return tcp -> tcp.setIdleTimeout(value);
    }

    /** {@code maxConnectAttempts}. */
    public static Configurer<TcpProxy.Builder> maxConnectAttempts(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("invalid maxConnectAttempts: " + attempts + " (expected: >= 1)");
        }
        UInt32Value value = UInt32Value.of(attempts);
        return tcp -> tcp.setMaxConnectAttempts(value);
    }
}
