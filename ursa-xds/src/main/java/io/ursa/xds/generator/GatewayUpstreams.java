package io.ursa.xds.generator;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.policy.CircuitBreakerSpec;
import io.ursa.api.policy.HealthCheckSpec;
import io.ursa.api.policy.RateLimitSpec;
import io.ursa.api.policy.RetrySpec;
import io.ursa.api.policy.TimeoutSpec;
import io.ursa.api.policy.TrafficPermissionSpec;
import io.ursa.api.policy.TrafficRouteSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.spec.Selector;
import io.ursa.api.spec.Tags;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.envoy.Configurer;
import io.ursa.xds.envoy.clusters.ClusterBuilder;
import io.ursa.xds.envoy.clusters.ClusterConfigurers;
import io.ursa.xds.envoy.clusters.ProvidedEndpointConfigurers.DnsLookup;
import io.ursa.xds.generator.RouteTargets.ClusterPlan;
import io.ursa.xds.generator.policies.ConnectionPolicies;
import io.ursa.xds.generator.policies.PolicyMatch;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The parts of a sidecar's configuration that the builtin gateway ({@code io.ursa.xds.gateway}) reuses, so that
 * both apply policies with the same configurers: upstream clusters (mesh EDS clusters with {@link ClientSideMtls},
 * ExternalService clusters with {@link ExternalServiceClusters}) with Timeout, CircuitBreaker and HealthCheck, the
 * route-level Retry, Timeout and RateLimit, the tcp_proxy Retry, tracing, and the TrafficPermission rules of a
 * cross-mesh listener ({@link TrafficPermissionRbac}). Stateless.
 */
public final class GatewayUpstreams {
    /** The filter the RateLimit buckets of routes are for. */
    public static final String RATE_LIMIT_FILTER = RateLimitConfigurers.FILTER;
    /** Kuma's gateway buffer limit of listeners and clusters ({@code DefaultConnectionBuffer}). */
    public static final int CONNECTION_BUFFER_BYTES = 32 * 1024;

    /** The kind of route that sends to a destination, which decides its protocol when its tags do not. */
    public enum RouteProtocol {
        HTTP,
        TCP
    }

    private GatewayUpstreams() {
    }

    /**
     * The protocol of a destination as Kuma's gateway infers it ({@code route.InferServiceProtocol} over the
     * destination's own tags): its {@code kuma.io/protocol} tag, else the route's protocol.
     */
    static ServiceProtocol protocolOf(Map<String, String> destination, RouteProtocol route) {
        ServiceProtocol protocol = ServiceProtocol.ofTags(destination);
        if (protocol != ServiceProtocol.UNKNOWN) {
            return protocol;
        }
        return route == RouteProtocol.TCP ? ServiceProtocol.TCP : ServiceProtocol.HTTP;
    }

    /** Whether the destination's protocol (see {@link #protocolOf}) is one an HTTP route can forward to. */
    public static boolean speaksHttp(Map<String, String> destination, RouteProtocol route) {
        return protocolOf(destination, route).isHttp();
    }

    /**
     * Whether traffic to {@code service} goes straight to an ExternalService's address (it is an ExternalService's
     * service and the mesh has no zone egress in the way).
     */
    public static boolean isDirectExternal(ProxyContext proxy, String service) {
        return !proxy.mesh().externalEndpoints(service).isEmpty() && !ZoneEgressRouting.applies(proxy);
    }

    /**
     * The cluster {@code name} toward the endpoints with the {@code destination} tags (Kuma's gateway
     * {@code generateMeshCluster} / {@code generateExternalCluster}): an EDS cluster with mesh mTLS as a sidecar's
     * outbound has it, or an ExternalService's cluster; connect and HTTP timeouts, circuit breaker, outlier
     * detection and health checks from the given policies, and a 32 KiB connection buffer.
     */
    public static Cluster cluster(ProxyContext proxy, String name, Map<String, String> destination,
                                  RouteProtocol route, Optional<TimeoutSpec.Conf> timeout,
                                  Optional<CircuitBreakerSpec.Conf> breaker,
                                  Optional<HealthCheckSpec.Conf> healthCheck) {
        requireNonNull(proxy, "proxy");
        String service = requireNonNull(destination.get(Tags.SERVICE), "destination kuma.io/service");
        ServiceProtocol protocol = protocolOf(destination, route);
        Configurer<Cluster.Builder> buffer = cluster -> cluster.setPerConnectionBufferLimitBytes(
                UInt32Value.of(CONNECTION_BUFFER_BYTES));
        // Kuma's gateway clusters use Envoy's default, round robin
        ClusterPlan plan = new ClusterPlan(name, service, new TreeMap<>(destination), timeout,
                new TrafficRouteSpec.LoadBalancer(null, null, null, null, null));
        if (!proxy.mesh().externalEndpoints(service).isEmpty() && ZoneEgressRouting.applies(proxy)) {
            return ZoneEgressRouting.cluster(proxy, plan, protocol, breaker, healthCheck).toBuilder()
                    .setPerConnectionBufferLimitBytes(UInt32Value.of(CONNECTION_BUFFER_BYTES)).build();
        }
        if (isDirectExternal(proxy, service)) {
            DnsLookup lookup = DnsLookup.forProxyAddress(proxy.spec().networking().address());
            return ExternalServiceClusters.of(plan, proxy.mesh().externalEndpoints(service), protocol, lookup,
                    breaker, healthCheck).toBuilder()
                    .setPerConnectionBufferLimitBytes(UInt32Value.of(CONNECTION_BUFFER_BYTES)).build();
        }
        ClusterBuilder cluster = ClusterBuilder.named(name)
                .configure(ClusterConfigurers.eds())
                .configure(TimeoutConfigurers.connectTimeout(timeout))
                .configure(ExternalServiceClusters.upstreamProtocol(timeout, protocol));
        ClientSideMtls.envoy(proxy, service, destination).ifPresent(socket ->
                cluster.configure(ClusterConfigurers.transportSocket(socket)));
        return cluster
                .configure(CircuitBreakerConfigurers.thresholds(breaker))
                .configure(CircuitBreakerConfigurers.outlierDetection(breaker))
                .configure(HealthCheckConfigurers.of(healthCheck, protocol))
                .configure(buffer)
                .build();
    }

    /**
     * The retry policy of a route forwarding to {@code destinations}, whose common protocol (by their tags, HTTP
     * when they say nothing) decides between the HTTP and gRPC forms; empty without a policy.
     */
    public static Optional<RetryPolicy> routeRetry(Optional<RetrySpec.Conf> conf, List<Map<String, String>> destinations) {
        ServiceProtocol protocol = null;
        for (Map<String, String> destination : destinations) {
            ServiceProtocol own = ServiceProtocol.ofTags(destination);
            protocol = protocol == null ? own : ServiceProtocol.common(protocol, own);
        }
        if (protocol == null || protocol == ServiceProtocol.UNKNOWN) {
            protocol = ServiceProtocol.HTTP;
        }
        return RetryConfigurers.gatewayRoute(conf, protocol);
    }

    /** tcp_proxy {@code maxConnectAttempts} from the Retry's {@code tcp} part; nothing without one. */
    public static Configurer<TcpProxy.Builder> tcpRetry(Optional<RetrySpec.Conf> conf) {
        return RetryConfigurers.tcp(conf);
    }

    /** The route timeout of a Timeout: its {@code http.requestTimeout} when set and not zero. */
    public static Optional<Duration> requestTimeout(Optional<TimeoutSpec.Conf> conf) {
        return conf.map(TimeoutSpec.Conf::http).map(TimeoutSpec.Http::requestTimeout)
                .map(d -> d.value()).filter(d -> !d.isZero());
    }

    /** The bucket of {@code limit} for a route's {@code typedPerFilterConfig}; empty when it limits no request. */
    public static Optional<Any> rateLimitBucket(Resource<RateLimitSpec> limit) {
        return RateLimitConfigurers.outboundBucket(limit);
    }

    /** Kuma's gateway HCM always has the bucket-less local rate limit filter that route buckets configure. */
    public static Configurer<HttpConnectionManager.Builder> rateLimitFilter() {
        return RateLimitConfigurers.filter();
    }

    /** The tracing of the gateway's HTTP connection managers, as a sidecar inbound's; nothing without tracing. */
    public static Configurer<HttpConnectionManager.Builder> tracing(ProxyContext proxy) {
        return TracingConfigurers.inbound(ProxyTracing.of(proxy));
    }

    /** A percentage in [0, 100] as the coarsest exact fraction (as FaultInjection's). */
    public static FractionalPercent percent(double percentage) {
        return FaultInjectionConfigurers.percent(percentage);
    }

    /** The proxy's tags as {@code x-kuma-tags} carries them. */
    public static String serializedTags(DataplaneSpec spec) {
        return OutboundGenerator.serializedTags(spec);
    }

    /** The service that names the proxy (stat prefixes). */
    public static String identifyingService(DataplaneSpec spec) {
        return IdentifyingService.of(spec);
    }

    /**
     * The RBAC rules of a cross-mesh listener of a gateway of {@code mesh} whose service is {@code service}: the
     * TrafficPermission of the mesh whose destinations best match {@code {kuma.io/service: service}}, with its
     * sources read as callers of any mesh unless they name one with {@code kuma.io/mesh} ({@link
     * TrafficPermissionRbac}'s {@code kuma.io/mesh: '*'}). Deny-all without a permission.
     */
    public static RBAC crossMeshRbac(ProxyContext proxy, String service) {
        Optional<Resource<TrafficPermissionSpec>> permission = ConnectionPolicies.matchInbound(
                ConnectionPolicies.TRAFFIC_PERMISSION, proxy.mesh(), Map.of(Tags.SERVICE, service))
                .map(PolicyMatch::policy)
                .map(p -> anyMeshUnlessNamed(p));
        return TrafficPermissionRbac.rules(proxy.mesh().name(), permission);
    }

    private static Resource<TrafficPermissionSpec> anyMeshUnlessNamed(Resource<TrafficPermissionSpec> permission) {
        List<Selector> sources = permission.spec().sources().stream().map(source -> {
            if (source.match().containsKey(TrafficPermissionRbac.MESH_TAG)) {
                return source;
            }
            Map<String, String> match = new TreeMap<>(source.match());
            match.put(TrafficPermissionRbac.MESH_TAG, "*");
            return new Selector(match);
        }).toList();
        return permission.withSpec(new TrafficPermissionSpec(sources, permission.spec().destinations()));
    }
}
