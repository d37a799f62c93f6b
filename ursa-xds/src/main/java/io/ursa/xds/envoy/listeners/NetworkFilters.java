package io.ursa.xds.envoy.listeners;

import static java.util.Objects.requireNonNull;

import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.ursa.xds.envoy.Protos;
import io.ursa.xds.envoy.Configurer;
import java.time.Duration;
import java.util.List;

/** Network filters of a filter chain, each with its well-known name and typed config. */
public final class NetworkFilters {
    public static final String TCP_PROXY = "envoy.filters.network.tcp_proxy";
    public static final String HTTP_CONNECTION_MANAGER = "envoy.filters.network.http_connection_manager";
    public static final String RBAC = "envoy.filters.network.rbac";

    private NetworkFilters() {
    }

    /** {@code tcp_proxy} to {@code cluster}, with stats under {@code statPrefix}. */
    public static Filter tcpProxy(String statPrefix, String cluster, Duration idleTimeout) {
        TcpProxy config = TcpProxy.newBuilder()
                .setStatPrefix(requireNonNull(statPrefix, "statPrefix"))
                .setCluster(requireNonNull(cluster, "cluster"))
                .setIdleTimeout(Protos.duration(idleTimeout))
                .build();
        return filter(TCP_PROXY, config);
    }

    /**
     * {@code tcp_proxy} with stats under {@code statPrefix}, shaped by {@code configurers} in order (see
     * {@link TcpProxyConfigurers}); fails when no configurer sets a cluster or weighted clusters.
     */
    public static Filter tcpProxy(String statPrefix, List<Configurer<TcpProxy.Builder>> configurers) {
        TcpProxy.Builder config = TcpProxy.newBuilder().setStatPrefix(requireNonNull(statPrefix, "statPrefix"));
        requireNonNull(configurers, "configurers").forEach(c -> c.configure(config));
        if (config.getClusterSpecifierCase() == TcpProxy.ClusterSpecifierCase.CLUSTERSPECIFIER_NOT_SET) {
            throw new IllegalStateException("tcp_proxy " + statPrefix
                    + " has no upstream (expected: a cluster or weighted clusters)");
        }
        return filter(TCP_PROXY, config.build());
    }

    /** The HTTP connection manager built by {@link HttpConnectionManagerBuilder}. */
    public static Filter httpConnectionManager(HttpConnectionManager config) {
        return filter(HTTP_CONNECTION_MANAGER, requireNonNull(config, "config"));
    }

    /**
     * The network RBAC filter ({@code envoy.filters.network.rbac}) enforcing {@code rules} on every connection,
     * with stats under {@code statPrefix}. It goes first in a filter chain.
     */
    public static Filter rbac(String statPrefix, io.envoyproxy.envoy.config.rbac.v3.RBAC rules) {
        return filter(RBAC, io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.newBuilder()
                .setStatPrefix(requireNonNull(statPrefix, "statPrefix"))
                .setRules(requireNonNull(rules, "rules"))
                .build());
    }

    private static Filter filter(String name, com.google.protobuf.Message config) {
        return Filter.newBuilder().setName(name).setTypedConfig(Protos.pack(config)).build();
    }
}
