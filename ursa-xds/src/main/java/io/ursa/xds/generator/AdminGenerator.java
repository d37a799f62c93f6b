package io.ursa.xds.generator;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.ProxyMetadata;
import io.ursa.xds.envoy.clusters.ClusterBuilder;
import io.ursa.xds.envoy.clusters.ClusterConfigurers;
import io.ursa.xds.envoy.listeners.ListenerBuilder;
import io.ursa.xds.envoy.listeners.ListenerConfigurers;
import io.ursa.xds.envoy.listeners.StaticEndpoints;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.resources.ResourceSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What of Envoy's admin API a proxy exposes ({@code kuma-2.0-envoy-config.md} §5.1, Kuma's
 * {@code admin_proxy_generator.go}):
 * <ul>
 *   <li>cluster {@code kuma:envoy:admin}: STATIC, to Envoy's own admin on its loopback address and the admin port
 *       the proxy reported, connect timeout 10s. The Prometheus listener routes to it too;</li>
 *   <li>listener {@code kuma:envoy:admin} on {@code <networking.address>:<adminPort>} (INBOUND, no reuse-port,
 *       {@code tls_inspector}) that serves {@code /ready} only, forwarded to the admin's {@code /ready}. It is left
 *       out when the Dataplane's address is the admin's loopback address, which Envoy's admin already binds.</li>
 * </ul>
 *
 * <p>The admin address comes from the proxy's metadata. Like Kuma, it is not trusted beyond loopback (a proxy could
 * otherwise turn the admin cluster into a gateway to another host): only {@code 127.0.0.1}, {@code ::1},
 * {@code 0.0.0.0}, {@code ::} and empty are accepted, the latter three mapped to {@code 127.0.0.1} or
 * {@code ::1}; anything else fails the generation.
 *
 * <p>Empty when the proxy reported no admin port. Not yet: Kuma's second filter chain
 * ({@code transportProtocol: tls}) that serves the whole admin API over mutual TLS to the control plane; it needs
 * a server certificate from an "Envoy admin CA" that Ursa does not issue yet.
 */
public final class AdminGenerator implements Generator {
    /** Kuma's default connect timeout of a provided-endpoint cluster. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Envoy admin's readiness path, the one path the plaintext chain exposes. */
    static final String READY_PATH = "/ready";

    /** The admin addresses a proxy may report, and the loopback address each one means. */
    private static final Map<String, String> LOOPBACK_OF = Map.of(
            "", "127.0.0.1",
            "0.0.0.0", "127.0.0.1",
            "127.0.0.1", "127.0.0.1",
            "::", "::1",
            "::1", "::1");

    /**
     * The /ready filter: the same for every proxy, so one instance is built, and its digest and references are
     * computed once per mesh context instead of once per proxy.
     */
    private static final Filter READY_FILTER = StaticEndpoints.filter(EnvoyNames.ENVOY_ADMIN,
            List.of(new StaticEndpoints.Path(READY_PATH, EnvoyNames.ENVOY_ADMIN, READY_PATH)));

    /** The admin clusters built so far, by admin address and port (nearly every proxy has the same one). */
    private static final Map<AdminCluster, Cluster> CLUSTERS = new ConcurrentHashMap<>();
    /** How many admin clusters are remembered at most: ports proxies report, normally a handful. */
    private static final int MAX_CLUSTERS = 64;

    private record AdminCluster(String address, int port) {
    }

    @Override
    public String origin() {
        return Origins.ADMIN;
    }

    @Override
    public ResourceSet generate(ProxyContext proxy) {
        DataplaneSpec.Networking networking = proxy.spec().networking();
        return generate(proxy.metadata(), networking == null ? "" : networking.address());
    }

    /**
     * The admin cluster and listener of a proxy with {@code metadata} whose own address is {@code proxyAddress}
     * (a Dataplane's or a ZoneEgress's {@code networking.address}; empty: no listener).
     */
    static ResourceSet generate(ProxyMetadata metadata, String proxyAddress) {
        if (metadata.adminPort().isEmpty()) {
            return ResourceSet.empty();
        }
        int adminPort = metadata.adminPort().getAsInt();
        String adminAddress = loopback(metadata.adminAddress());
        ResourceSet.Builder resources = ResourceSet.builder();
        resources.add(cluster(new AdminCluster(adminAddress, adminPort)));
        if (!proxyAddress.isEmpty() && !proxyAddress.equals(adminAddress)) {
            resources.add(ListenerBuilder.named(EnvoyNames.ENVOY_ADMIN)
                    .configure(ListenerConfigurers.inbound(proxyAddress, adminPort))
                    .configure(ListenerConfigurers.tlsInspector())
                    // Kuma's second chain (transportProtocol: tls, the whole admin API over mutual TLS) goes here.
                    .configure(ListenerConfigurers.filterChain(List.of(READY_FILTER)))
                    .build());
        }
        return resources.build();
    }

    /** The admin cluster of {@code key}, one instance per address and port (remembered up to a bound). */
    private static Cluster cluster(AdminCluster key) {
        Cluster cluster = CLUSTERS.get(key);
        if (cluster == null) {
            cluster = ClusterBuilder.named(EnvoyNames.ENVOY_ADMIN)
                    .configure(ClusterConfigurers.staticEndpoint(key.address(), key.port()))
                    .configure(ClusterConfigurers.connectTimeout(CONNECT_TIMEOUT))
                    .build();
            if (CLUSTERS.size() < MAX_CLUSTERS) {
                CLUSTERS.putIfAbsent(key, cluster);
            }
        }
        return cluster;
    }

    /** The loopback address Envoy's admin listens on, from the address the proxy reported. */
    static String loopback(String reportedAddress) {
        String loopback = LOOPBACK_OF.get(reportedAddress);
        if (loopback == null) {
            throw new IllegalArgumentException("invalid Envoy admin address: \"" + reportedAddress
                    + "\" (expected: one of \"\", \"0.0.0.0\", \"127.0.0.1\", \"::\", \"::1\")");
        }
        return loopback;
    }
}
