package io.ursa.xds.generator;

import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.TrafficDirection;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.envoy.clusters.ClusterBuilder;
import io.ursa.xds.envoy.clusters.ClusterConfigurers;
import io.ursa.xds.envoy.listeners.ListenerBuilder;
import io.ursa.xds.envoy.listeners.ListenerConfigurers;
import io.ursa.xds.envoy.listeners.NetworkFilters;
import io.ursa.xds.envoy.listeners.TcpProxyConfigurers;
import io.ursa.xds.envoy.listeners.TcpProxyConfigurers.WeightedCluster;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.names.EnvoyNames.IpFamily;
import io.ursa.xds.resources.ResourceSet;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The catch-all listeners and passthrough clusters of a transparently proxied Dataplane
 * ({@code kuma-2.0-envoy-config.md} §4, mesh-spec §6.1, Kuma's {@code transparent_proxy_generator.go}).
 *
 * <p>Per IP family (IPv6 only when {@code redirectPortInboundV6} is set):
 * <ul>
 *   <li>listener {@code outbound:passthrough:<family>} on the any-address and {@code redirectPortOutbound},
 *       {@code useOriginalDst}, tcp_proxy to the cluster of the same name;</li>
 *   <li>cluster {@code outbound:passthrough:<family>} (ORIGINAL_DST), <b>only when the mesh's
 *       {@code networking.outbound.passthrough} is on</b> (unset counts as on);</li>
 *   <li>listener {@code inbound:passthrough:<family>} on the any-address and {@code redirectPortInbound}
 *       ({@code redirectPortInboundV6}), {@code useOriginalDst}, tcp_proxy to the cluster of the same name;</li>
 *   <li>cluster {@code inbound:passthrough:<family>} (ORIGINAL_DST) bound to {@code 127.0.0.6} ({@code ::6}) so
 *       iptables does not redirect its connections again.</li>
 * </ul>
 *
 * <p>With passthrough off, Kuma 2.0 keeps the outbound catch-all listener unchanged and only leaves its cluster
 * out: Envoy accepts a tcp_proxy naming a missing cluster and closes such connections (response flag NC), so
 * nothing reaches a destination outside the mesh, while mesh services and ExternalServices keep their own
 * listeners. Ursa does the same rather than adding a blackhole cluster Kuma does not have; this is the one
 * intended dangling cluster reference of a proxy (§9).
 *
 * <p>Empty when the Dataplane has no {@code networking.transparentProxying} or its {@code redirectPortOutbound}
 * is 0. The outbound catch-all logs the connections of the TrafficLog selected for (proxy, {@code pass_through}),
 * with the destination written as {@code external} and {@code %KUMA_TRAFFIC_DIRECTION%} {@code UNSPECIFIED}
 * ({@link AccessLogs}), as Kuma 2.0 does. Not yet: the Kubernetes API-server
 * bypass hook that passthrough-off meshes get on Kubernetes.
 *
 * <p>The rest of a transparent proxy's configuration comes from the other generators: its outbounds on the mesh's
 * VIPs ({@link ProxyOutbounds}, {@link OutboundGenerator}), its unbound inbound listeners and local clusters bound
 * to {@code 127.0.0.6} ({@link InboundGenerator}) and its {@code kuma:dns} listener ({@link DnsGenerator}).
 */
public final class TransparentProxyGenerator implements Generator {
    /** The destination service TrafficLogs name to log the traffic of the outbound catch-all (Kuma's). */
    static final String PASSTHROUGH_SERVICE = "pass_through";
    /** What the catch-all's access log writes as the destination ({@code %KUMA_DESTINATION_SERVICE%}), as Kuma. */
    static final String LOGGED_DESTINATION = "external";
    /** Kuma's default connect timeout of the passthrough clusters (§6.1). */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    /** The any-address listeners bind to, and the source address of inbound passthrough connections. */
    private enum Family {
        IPV4(IpFamily.IPV4, "0.0.0.0", InboundGenerator.LOCAL_SOURCE_IPV4),
        IPV6(IpFamily.IPV6, "::", InboundGenerator.LOCAL_SOURCE_IPV6);

        final IpFamily names;
        final String anyAddress;
        final String inboundSourceAddress;

        Family(IpFamily names, String anyAddress, String inboundSourceAddress) {
            this.names = names;
            this.anyAddress = anyAddress;
            this.inboundSourceAddress = inboundSourceAddress;
        }
    }

    /** Whether traffic to destinations outside the mesh leaves through the outbound passthrough cluster. */
    private enum Egress {
        PASSTHROUGH,
        MESH_ONLY
    }

    @Override
    public String origin() {
        return Origins.TRANSPARENT;
    }

    @Override
    public ResourceSet generate(ProxyContext proxy) {
        DataplaneSpec.Networking networking = proxy.spec().networking();
        if (networking == null || !networking.redirectsOutbound()) {
            return ResourceSet.empty();
        }
        DataplaneSpec.TransparentProxying tp = networking.transparentProxying();
        Egress egress = proxy.meshSpec().isPassthrough() ? Egress.PASSTHROUGH : Egress.MESH_ONLY;
        int outboundPort = checkPort("redirectPortOutbound", tp.redirectPortOutbound());
        Optional<AccessLog> passthroughLog = AccessLogs.of(proxy, PASSTHROUGH_SERVICE, LOGGED_DESTINATION,
                TrafficDirection.UNSPECIFIED, AccessLogFormat.Kind.TCP);
        ResourceSet.Builder resources = ResourceSet.builder();
        addFamily(resources, Family.IPV4, outboundPort, checkPort("redirectPortInbound", tp.redirectPortInbound()),
                egress, passthroughLog);
        if (tp.redirectPortInboundV6() != 0) {
            addFamily(resources, Family.IPV6, outboundPort,
                    checkPort("redirectPortInboundV6", tp.redirectPortInboundV6()), egress, passthroughLog);
        }
        return resources.build();
    }

    private static void addFamily(ResourceSet.Builder resources, Family family, int outboundPort, int inboundPort,
                                  Egress egress, Optional<AccessLog> outboundLog) {
        String outbound = EnvoyNames.outboundPassthrough(family.names);
        resources.add(ListenerBuilder.named(outbound)
                .configure(ListenerConfigurers.outbound(family.anyAddress, outboundPort))
                .configure(ListenerConfigurers.filterChain(List.of(tcpProxy(outbound, outboundLog))))
                .configure(ListenerConfigurers.originalDstForwarder())
                .build());
        if (egress == Egress.PASSTHROUGH) {
            resources.add(passthroughCluster(outbound).build());
        }

        String inbound = EnvoyNames.inboundPassthrough(family.names);
        resources.add(ListenerBuilder.named(inbound)
                .configure(ListenerConfigurers.inbound(family.anyAddress, inboundPort))
                .configure(ListenerConfigurers.filterChain(List.of(tcpProxy(inbound, Optional.empty()))))
                .configure(ListenerConfigurers.originalDstForwarder())
                .build());
        resources.add(passthroughCluster(inbound)
                .configure(ClusterConfigurers.upstreamBindAddress(family.inboundSourceAddress))
                .build());
    }

    /**
     * tcp_proxy to the cluster named like its listener, with stats under the stat-safe name and the access log if
     * any; no idle timeout.
     */
    private static Filter tcpProxy(String cluster, Optional<AccessLog> log) {
        return NetworkFilters.tcpProxy(EnvoyNames.statName(cluster),
                List.of(TcpProxyConfigurers.clusters(List.of(new WeightedCluster(cluster, 1))), AccessLogs.tcp(log)));
    }

    private static ClusterBuilder passthroughCluster(String name) {
        return ClusterBuilder.named(name)
                .configure(ClusterConfigurers.originalDestination())
                .configure(ClusterConfigurers.connectTimeout(CONNECT_TIMEOUT));
    }

    private static int checkPort(String field, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid networking.transparentProxying." + field + ": " + port
                    + " (expected: 1-65535 when redirectPortOutbound is set)");
        }
        return port;
    }
}
