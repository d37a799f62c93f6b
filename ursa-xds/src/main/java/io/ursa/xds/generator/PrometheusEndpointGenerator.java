package io.ursa.xds.generator;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.dataplane.InboundInterface;
import io.ursa.api.dataplane.OutboundInterface;
import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.mesh.PrometheusConfig;
import io.ursa.api.spec.NetworkAddresses;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.envoy.clusters.ClusterBuilder;
import io.ursa.xds.envoy.clusters.ClusterConfigurers;
import io.ursa.xds.envoy.listeners.FilterChainConfigurers;
import io.ursa.xds.envoy.listeners.ListenerBuilder;
import io.ursa.xds.envoy.listeners.ListenerConfigurers;
import io.ursa.xds.envoy.listeners.StaticEndpoints;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.resources.ResourceSet;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The listener Prometheus scrapes a proxy's metrics from ({@code kuma-2.0-envoy-config.md} §5.3, mesh-spec §7.1,
 * Kuma's {@code prometheus_endpoint_generator.go}): listener {@code kuma:metrics:prometheus} on
 * {@code <networking.address>:<port>} (INBOUND, no reuse-port) whose HTTP connection manager (stat prefix
 * {@code kuma_metrics_prometheus}, virtual host {@code kuma:metrics:prometheus}) serves the path prefix of the
 * effective settings ({@link PrometheusSettings}: default port 5670, path {@code /metrics}).
 *
 * <p>The route goes, as in Kuma 2.0, to cluster {@code kuma:metrics:hijacker}: STATIC, one endpoint on the unix
 * socket {@link EnvoyNames#metricsHijackerSocket} where {@code ursa-dp run} answers with Envoy's statistics in
 * Prometheus format (the scrape's query, such as {@code filter} and {@code usedonly}, passed on) followed by the
 * metrics of every enabled {@code aggregate} application endpoint, which the bootstrap response lists for the agent.
 * The prefix is rewritten to {@code /} followed by the query the spec describes ({@code ?filter=<regex>},
 * {@code ?usedonly} or both, from {@code envoy.filterRegex} and {@code envoy.usedOnly}).
 *
 * <p>Empty when the Mesh has no enabled {@code prometheus} backend, when the proxy reported no admin port, or when
 * the port on the Dataplane's address is taken by one of its inbounds (listener or application side) or outbounds
 * (Kuma's {@code UsesInterface}: the same port and the same IP, or either IP unspecified); Kuma prefers no metrics
 * listener over shadowing one of the proxy's own.
 *
 * <p>Security (§5.3): with mesh mTLS on and {@code skipMTLS} not true, two chains with the same connection manager:
 * first a plaintext one for connections from the Dataplane's own address ({@code sourcePrefixRanges
 * <address>/32}, {@code /128} for IPv6), so that the proxy's host can scrape; then, for everyone else, the network
 * RBAC filter (stats {@code kuma_metrics_prometheus.}, rules from the TrafficPermission that matches the metrics
 * tags, as if they were an inbound's) and the mesh's STRICT {@code DownstreamTlsContext}, whatever the mesh's mode.
 * Otherwise a single plaintext chain. A Dataplane address that is a host name gets no plaintext chain (Kuma would
 * write the name as a CIDR, which Envoy rejects).
 */
public final class PrometheusEndpointGenerator implements Generator {
    @Override
    public String origin() {
        return Origins.PROMETHEUS;
    }

    @Override
    public ResourceSet generate(ProxyContext proxy) {
        Optional<PrometheusSettings> found = PrometheusSettings.of(proxy.meshSpec(), proxy.spec());
        DataplaneSpec.Networking networking = proxy.spec().networking();
        if (found.isEmpty() || proxy.metadata().adminPort().isEmpty() || networking == null
                || networking.address().isEmpty()) {
            return ResourceSet.empty();
        }
        PrometheusSettings settings = found.get();
        String address = networking.address();
        if (usesInterface(networking, address, settings.port())) {
            return ResourceSet.empty();
        }
        StaticEndpoints.Path scrape = new StaticEndpoints.Path(settings.path(), EnvoyNames.METRICS_HIJACKER_CLUSTER,
                "/" + settings.statsQuery());
        Filter endpoints = StaticEndpoints.filter(EnvoyNames.PROMETHEUS_LISTENER, List.of(scrape));
        ListenerBuilder listener = ListenerBuilder.named(EnvoyNames.PROMETHEUS_LISTENER)
                .configure(ListenerConfigurers.inbound(address, settings.port()));
        if (proxy.mtls().isEmpty() || settings.skipMtls()) {
            listener.configure(ListenerConfigurers.filterChain(List.of(endpoints)));
        } else {
            if (NetworkAddresses.isIp(address)) {
                listener.configure(ListenerConfigurers.filterChain(List.of(endpoints),
                        List.of(FilterChainConfigurers.sourceAddress(address))));
            }
            listener.configure(ListenerConfigurers.filterChain(
                    ServerSideMtls.withRbac(proxy, EnvoyNames.PROMETHEUS_LISTENER, settings.tags(), List.of(endpoints)),
                    List.of(FilterChainConfigurers.transportSocket(ServerSideMtls.downstream(proxy)))));
        }
        Cluster hijacker = ClusterBuilder.named(EnvoyNames.METRICS_HIJACKER_CLUSTER)
                .configure(ClusterConfigurers.pipeEndpoint(EnvoyNames.metricsHijackerSocket(proxy.dataplane().name(),
                        proxy.mesh().name())))
                .configure(ClusterConfigurers.connectTimeout(AdminGenerator.CONNECT_TIMEOUT))
                .build();
        return ResourceSet.builder().add(hijacker).add(listener.build()).build();
    }

    /**
     * The application endpoints whose metrics the agent's hijacker adds to Envoy's for {@code dataplane}: the
     * enabled {@code aggregate} entries of its effective Prometheus settings (unset {@code enabled} counts as on);
     * empty when the mesh has no enabled {@code prometheus} backend.
     */
    public static List<PrometheusConfig.Aggregate> enabledAggregates(MeshSpec mesh, DataplaneSpec dataplane) {
        return PrometheusSettings.of(mesh, dataplane).map(settings -> settings.aggregate().stream()
                .filter(a -> a.enabled().orElse(true)).toList()).orElse(List.of());
    }

    /** Whether {@code address:port} is one of the Dataplane's inbound (listener or workload) or outbound addresses. */
    static boolean usesInterface(DataplaneSpec.Networking networking, String address, int port) {
        for (InboundInterface in : networking.inboundInterfaces()) {
            if ((in.dataplanePort() == port && overlap(address, in.dataplaneIp()))
                    || (in.workloadPort() == port && overlap(address, in.workloadIp()))) {
                return true;
            }
        }
        for (OutboundInterface out : networking.outboundInterfaces()) {
            if (out.dataplanePort() == port && overlap(address, out.dataplaneIp())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Kuma's {@code overlap} of two {@code net.IP}s: an unspecified address ({@code 0.0.0.0}, {@code ::}) on either
     * side overlaps everything; otherwise only equal IP literals do (a host name is no IP and equals nothing).
     */
    private static boolean overlap(String a, String b) {
        Optional<InetAddress> ipA = NetworkAddresses.parseIp(a);
        Optional<InetAddress> ipB = NetworkAddresses.parseIp(b);
        if (ipA.map(InetAddress::isAnyLocalAddress).orElse(false)
                || ipB.map(InetAddress::isAnyLocalAddress).orElse(false)) {
            return true;
        }
        return ipA.isPresent() && ipA.equals(ipB);
    }
}
