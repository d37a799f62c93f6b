package io.ursa.xds.generator;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.dataplane.InboundInterface;
import io.ursa.api.policy.RateLimitSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.spec.Protocols;
import io.ursa.api.spec.Tags;
import io.ursa.xds.context.CarriedKey;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.envoy.clusters.ClusterBuilder;
import io.ursa.xds.envoy.clusters.ClusterConfigurers;
import io.ursa.xds.envoy.clusters.ClusterConfigurers.UpstreamHttp;
import io.ursa.xds.envoy.listeners.HttpConfigurers;
import io.ursa.xds.envoy.listeners.HttpConnectionManagerBuilder;
import io.ursa.xds.envoy.listeners.ListenerBuilder;
import io.ursa.xds.envoy.listeners.ListenerConfigurers;
import io.ursa.xds.envoy.listeners.NetworkFilters;
import io.ursa.xds.generator.policies.ConnectionPolicies;
import io.ursa.xds.generator.policies.PolicyMatch;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.resources.ResourceSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The inbound side of a proxy ({@code kuma-2.0-envoy-config.md} §2.1–2.4, Kuma's
 * {@code inbound_proxy_generator.go}): for every {@code networking.inbound[]}, a listener
 * {@code inbound:<dataplaneIp>:<port>} that hands traffic to a STATIC cluster {@code localhost:<workloadPort>}
 * pointing at the application.
 *
 * <p>Empty when the Dataplane has no inbound (e.g. a gateway). Inbounds on the serviceless port 49151 are skipped.
 * Protocol comes from {@code kuma.io/protocol}: {@code http} and {@code http2} get an HTTP connection manager,
 * {@code grpc} too with {@code grpc_stats} first; anything else, including {@code kafka}, gets a {@code tcp_proxy}
 * (the Kafka broker filter is an Envoy contrib extension that the controlplane protos do not carry).
 *
 * <p>Mesh mTLS (§2.6–2.8) is applied by {@link ServerSideMtls}: with mTLS off one plaintext chain; STRICT one chain
 * with the mesh's {@code DownstreamTlsContext}; PERMISSIVE the TLS inspector and three chains. With mTLS on every
 * chain starts with the network RBAC filter of the inbound's TrafficPermission ({@link TrafficPermissionRbac}).
 *
 * <p>HTTP connection managers get a fault filter per matching FaultInjection ({@link FaultInjectionConfigurers})
 * and a rate-limited route per matching RateLimit ({@link RateLimitConfigurers}). HTTP connection managers get the
 * proxy's {@code tracing} ({@link TracingConfigurers}); inbounds get no access logs (Kuma 2.0 has none).
 *
 * <p>Transparent proxying (§2.2–2.3; both {@code redirectPortInbound} and {@code redirectPortOutbound} set, Kuma's
 * condition): every inbound listener has {@code bindToPort: false}, since iptables sends inbound connections to the
 * inbound catch-all ({@link TransparentProxyGenerator}), which hands each to the listener of its original
 * destination; and every local cluster connects from {@code 127.0.0.6} ({@code ::6} when its workload address is
 * IPv6), the source iptables does not redirect again.
 *
 * <p>Kuma's quirk is kept: two inbounds with the same workload port share one {@code localhost:<port>} cluster,
 * and the last inbound's workload address wins (golden {@code inbound-proxy/3}).
 *
 * <p>Only the listener's name and address hold the proxy's own address. The rest is computed once per mesh
 * context ({@link io.ursa.xds.context.SharedResources}) for every inbound with the same inputs and shared by the
 * replicas of a workload: the local cluster, the HTTP connection manager or {@code tcp_proxy} (packed), the tags
 * metadata, and with mTLS on the TLS context and RBAC rules ({@link ServerSideMtls}). Turning mTLS on regenerates
 * every proxy of a mesh at once; this keeps that pass from building each of them again per proxy.
 */
public final class InboundGenerator implements Generator {
    /** Kuma's built-in inbound timeouts (§6.1). */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration IDLE_TIMEOUT = Duration.ofHours(2);
    static final Duration STREAM_IDLE_TIMEOUT = Duration.ofHours(1);

    /** How an inbound's traffic is handled, from its {@code kuma.io/protocol} tag. */
    enum InboundProtocol {
        TCP, HTTP, HTTP2, GRPC;

        static InboundProtocol of(Map<String, String> tags) {
            String tag = tags.get(Tags.PROTOCOL);
            String protocol = tag == null ? Protocols.TCP : Protocols.parse(tag).orElse(Protocols.TCP);
            return switch (protocol) {
                case Protocols.HTTP -> HTTP;
                case Protocols.HTTP2 -> HTTP2;
                case Protocols.GRPC -> GRPC;
                default -> TCP;
            };
        }
    }

    /** Whether inbound traffic reaches the listeners on their own sockets or through the inbound catch-all. */
    enum Redirect {
        NONE,
        TRANSPARENT
    }

    /** The source address of local-cluster connections of a transparent proxy, per workload address family. */
    static final String LOCAL_SOURCE_IPV4 = "127.0.0.6";
    static final String LOCAL_SOURCE_IPV6 = "::6";

    /** What an inbound's local cluster depends on. */
    private record LocalClusterInputs(String workloadIp, int workloadPort, InboundProtocol protocol,
                                      Redirect redirect) implements CarriedKey {
        @Override
        public boolean affectedBy(Set<String> changedServices, boolean policiesChanged) {
            return false;
        }
    }

    /** What an inbound's connection manager or {@code tcp_proxy} depends on besides the mesh context. */
    private record AppFilterInputs(Map<String, String> inboundTags, String service, InboundProtocol protocol,
                                   String clusterName, Optional<ProxyTracing> tracing) implements CarriedKey {
        /** Its FaultInjections and RateLimits select inbounds; a narrow change alters neither. */
        @Override
        public boolean affectedBy(Set<String> changedServices, boolean policiesChanged) {
            return false;
        }
    }

    /** The listener's {@code kuma.io/tags} metadata of an inbound's tags. */
    private record TagsMetadataInputs(Map<String, String> inboundTags) implements CarriedKey {
        @Override
        public boolean affectedBy(Set<String> changedServices, boolean policiesChanged) {
            return false;
        }
    }

    @Override
    public String origin() {
        return Origins.INBOUND;
    }

    @Override
    public ResourceSet generate(ProxyContext proxy) {
        DataplaneSpec.Networking networking = proxy.spec().networking();
        if (networking == null || networking.inbound().isEmpty()) {
            return ResourceSet.empty();
        }
        List<DataplaneSpec.Inbound> inbounds = networking.inbound();
        List<InboundInterface> interfaces = networking.inboundInterfaces();
        Optional<ProxyTracing> tracing = ProxyTracing.of(proxy);
        Redirect redirect = networking.redirectsInboundAndOutbound() ? Redirect.TRANSPARENT : Redirect.NONE;
        ResourceSet.Builder resources = ResourceSet.builder();
        Map<String, Cluster> clusters = new LinkedHashMap<>();
        for (int i = 0; i < inbounds.size(); i++) {
            DataplaneSpec.Inbound inbound = inbounds.get(i);
            InboundInterface iface = interfaces.get(i);
            if (iface.dataplanePort() == EnvoyNames.SERVICELESS_INBOUND_PORT) {
                continue;
            }
            InboundProtocol protocol = InboundProtocol.of(inbound.tags());
            Cluster cluster = proxy.mesh().shared().computeIfAbsent(new LocalClusterInputs(iface.workloadIp(),
                    iface.workloadPort(), protocol, redirect), () -> localCluster(iface, protocol, redirect));
            clusters.put(cluster.getName(), cluster);
            resources.add(listener(proxy, inbound, iface, protocol, cluster.getName(), tracing, redirect));
        }
        clusters.values().forEach(resources::add);
        return resources.build();
    }

    private static Cluster localCluster(InboundInterface iface, InboundProtocol protocol, Redirect redirect) {
        ClusterBuilder cluster = ClusterBuilder.named(EnvoyNames.localCluster(iface.workloadPort()))
                .configure(ClusterConfigurers.staticEndpoint(iface.workloadIp(), iface.workloadPort()))
                .configure(ClusterConfigurers.connectTimeout(CONNECT_TIMEOUT));
        switch (protocol) {
            case HTTP -> cluster.configure(ClusterConfigurers.upstreamHttp(UpstreamHttp.HTTP1, IDLE_TIMEOUT));
            case HTTP2, GRPC -> cluster.configure(ClusterConfigurers.upstreamHttp(UpstreamHttp.HTTP2, IDLE_TIMEOUT));
            case TCP -> { }
        }
        if (redirect == Redirect.TRANSPARENT) {
            cluster.configure(ClusterConfigurers.upstreamBindAddress(iface.workloadIp().contains(":")
                    ? LOCAL_SOURCE_IPV6 : LOCAL_SOURCE_IPV4));
        }
        return cluster.build();
    }

    private static Listener listener(ProxyContext proxy, DataplaneSpec.Inbound inbound, InboundInterface iface,
                                     InboundProtocol protocol, String clusterName, Optional<ProxyTracing> tracing,
                                     Redirect redirect) {
        String name = EnvoyNames.inboundListener(iface.dataplaneIp(), iface.dataplanePort());
        Filter app = proxy.mesh().shared().computeIfAbsent(new AppFilterInputs(inbound.tags(), inbound.service(),
                protocol, clusterName, tracing), () -> filter(proxy, inbound, protocol, clusterName, tracing));
        List<Filter> filters = ServerSideMtls.withRbac(proxy, name, inbound.tags(), List.of(app));
        ListenerBuilder listener = ListenerBuilder.named(name)
                .configure(ListenerConfigurers.inbound(iface.dataplaneIp(), iface.dataplanePort()));
        if (redirect == Redirect.TRANSPARENT) {
            listener.configure(ListenerConfigurers.notBound());
        }
        return listener
                .configure(proxy.mesh().shared().computeIfAbsent(new TagsMetadataInputs(inbound.tags()),
                        () -> ListenerConfigurers.tagsMetadata(inbound.tags())))
                .configure(ServerSideMtls.inboundChains(proxy, filters))
                .build();
    }

    private static Filter filter(ProxyContext proxy, DataplaneSpec.Inbound inbound, InboundProtocol protocol,
                                 String clusterName, Optional<ProxyTracing> tracing) {
        String statPrefix = EnvoyNames.statName(clusterName);
        if (protocol == InboundProtocol.TCP) {
            return NetworkFilters.tcpProxy(statPrefix, clusterName, IDLE_TIMEOUT);
        }
        HttpConnectionManagerBuilder hcm = HttpConnectionManagerBuilder.withStatPrefix(statPrefix)
                .configure(HttpConfigurers.forwardClientCertUri())
                .configure(HttpConfigurers.timeouts(IDLE_TIMEOUT, STREAM_IDLE_TIMEOUT))
                .configure(TracingConfigurers.inbound(tracing));
        if (protocol == InboundProtocol.GRPC) {
            hcm.configure(HttpConfigurers.grpcStats());
        }
        hcm.configure(FaultInjectionConfigurers.faults(ConnectionPolicies.matchAllInbound(
                ConnectionPolicies.FAULT_INJECTION, proxy, inbound.tags()).stream().map(PolicyMatch::policy).toList(),
                FaultInjectionConfigurers.Side.INBOUND));
        List<Resource<RateLimitSpec>> limits = RateLimitConfigurers.httpLimits(ConnectionPolicies.matchAllInbound(
                ConnectionPolicies.RATE_LIMIT, proxy, inbound.tags()).stream().map(PolicyMatch::policy).toList());
        hcm.configure(RateLimitConfigurers.filter(limits));
        String service = inbound.service();
        hcm.configure(HttpConfigurers.inlineRoutes(HttpConfigurers.inboundRoutes(
                EnvoyNames.inboundRouteConfig(service), service, clusterName,
                RateLimitConfigurers.routes(limits, clusterName))));
        return NetworkFilters.httpConnectionManager(hcm.build());
    }
}
