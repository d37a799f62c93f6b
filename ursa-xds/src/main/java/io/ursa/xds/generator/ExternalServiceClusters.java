package io.ursa.xds.generator;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.ursa.api.policy.CircuitBreakerSpec;
import io.ursa.api.policy.HealthCheckSpec;
import io.ursa.api.policy.TimeoutSpec;
import io.ursa.api.spec.NetworkAddresses;
import io.ursa.api.spec.Tags;
import io.ursa.xds.context.ExternalEndpoint;
import io.ursa.xds.context.ExternalTls;
import io.ursa.xds.envoy.Configurer;
import io.ursa.xds.envoy.clusters.ClusterBuilder;
import io.ursa.xds.envoy.clusters.ClusterConfigurers;
import io.ursa.xds.envoy.clusters.ClusterConfigurers.UpstreamHttp;
import io.ursa.xds.envoy.clusters.ProvidedEndpointConfigurers;
import io.ursa.xds.envoy.clusters.ProvidedEndpointConfigurers.DnsLookup;
import io.ursa.xds.envoy.clusters.ProvidedEndpointConfigurers.TlsMatch;
import io.ursa.xds.envoy.tls.TlsContexts;
import io.ursa.xds.generator.RouteTargets.ClusterPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The cluster of a destination that is an ExternalService's {@code kuma.io/service}, for a sidecar of a mesh
 * without zone egress or for a zone egress ({@code kuma-2.0-envoy-config.md} §3.8, Kuma's
 * {@code outbound_proxy_generator.go} with {@code ProvidedEndpointClusterConfigurer} and
 * {@code ClientSideTLSConfigurer}):
 * <ul>
 *   <li>a "provided endpoint" cluster named like the destination: STATIC for IP addresses, STRICT_DNS
 *       ({@code dnsLookupFamily} V4_ONLY, AUTO for a proxy with an IPv6 address) for host names; one endpoint per
 *       ExternalService of the service, inline in {@code loadAssignment} with their tags as metadata;</li>
 *   <li>round robin always (Kuma applies no TrafficRoute {@code loadBalancer} here), the Timeout's connect and
 *       idle timeouts, the CircuitBreaker and the HealthCheck as for any outbound cluster;</li>
 *   <li>{@code httpProtocolOptions} for http, {@code http2ProtocolOptions} for http2 and grpc, none for tcp;</li>
 *   <li><b>no mesh mTLS</b>: the server is not in the mesh. With {@code networking.tls.enabled}, one
 *       {@code transportSocketMatches} entry per endpoint, named by its host and matching its tags minus
 *       {@code kuma.io/service} (which hold {@code kuma.io/external-service-name}), whose
 *       {@code UpstreamTlsContext} ({@link TlsContexts#upstreamOutsideMesh}) sends {@code serverName} as SNI, else
 *       the host name (never an IP), and verifies the server with {@code caCert} when given.</li>
 * </ul>
 *
 * <p>As in Kuma, every ExternalService of the service is an endpoint of every cluster of it, whatever other tags
 * a TrafficRoute split names. IP addresses and host names in one service are a generation error: Envoy resolves
 * a cluster one way only. In a mesh with zone egress the sidecar gets {@link ZoneEgressRouting}'s cluster instead,
 * and the egress one of these ({@link ZoneEgressGenerator}). Not applicable: locality priorities. Stateless.
 */
final class ExternalServiceClusters {
    private ExternalServiceClusters() {
    }

    /**
     * The cluster of {@code plan} toward {@code endpoints} (not empty).
     *
     * @throws IllegalArgumentException when the endpoints mix IP addresses and host names
     */
    static Cluster of(ClusterPlan plan, List<ExternalEndpoint> endpoints, ServiceProtocol protocol,
                      DnsLookup dnsLookup, Optional<CircuitBreakerSpec.Conf> breaker,
                      Optional<HealthCheckSpec.Conf> healthCheck) {
        ClusterBuilder cluster = ClusterBuilder.named(plan.name())
                .configure(TimeoutConfigurers.connectTimeout(plan.timeout()));
        try {
            cluster.configure(ProvidedEndpointConfigurers.endpoints(
                    endpoints.stream().map(ExternalEndpoint::asEndpoint).toList(), dnsLookup));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot generate cluster " + plan.name() + " of the ExternalServices "
                    + endpoints.stream().map(ExternalEndpoint::name).toList() + ": " + e.getMessage(), e);
        }
        cluster.configure(ProvidedEndpointConfigurers.tlsMatches(tlsMatches(endpoints)));
        return cluster
                .configure(upstreamProtocol(plan, protocol))
                .configure(CircuitBreakerConfigurers.thresholds(breaker))
                .configure(CircuitBreakerConfigurers.outlierDetection(breaker))
                .configure(HealthCheckConfigurers.of(healthCheck, protocol))
                .build();
    }

    /**
     * The upstream HTTP options of an ExternalService's cluster (Kuma's {@code Http()} or {@code Http2()} by its
     * protocol, none for tcp) with the Timeout's HTTP timeouts.
     */
    static Configurer<Cluster.Builder> upstreamProtocol(ClusterPlan plan, ServiceProtocol protocol) {
        return upstreamProtocol(plan.timeout(), protocol);
    }

    /** {@link #upstreamProtocol(ClusterPlan, ServiceProtocol)} with the Timeout's conf. */
    static Configurer<Cluster.Builder> upstreamProtocol(Optional<TimeoutSpec.Conf> timeout, ServiceProtocol protocol) {
        return cluster -> {
            switch (protocol) {
                case HTTP -> ClusterConfigurers.upstreamExplicitHttp(UpstreamHttp.HTTP1).configure(cluster);
                case HTTP2, GRPC -> ClusterConfigurers.upstreamExplicitHttp(UpstreamHttp.HTTP2).configure(cluster);
                default -> { }
            }
            if (protocol.isHttp()) {
                TimeoutConfigurers.upstreamHttp(timeout, protocol).configure(cluster);
            }
        };
    }

    /** One TLS match per endpoint with TLS on, in endpoint order. */
    private static List<TlsMatch> tlsMatches(List<ExternalEndpoint> endpoints) {
        List<TlsMatch> matches = new ArrayList<>();
        for (ExternalEndpoint endpoint : endpoints) {
            if (endpoint.tls().isEmpty()) {
                continue;
            }
            ExternalTls tls = endpoint.tls().get();
            String sni = tls.serverName()
                    .orElse(NetworkAddresses.isDnsName(endpoint.host()) ? endpoint.host() : "");
            Map<String, String> match = new TreeMap<>(endpoint.tags());
            match.remove(Tags.SERVICE);
            matches.add(new TlsMatch(endpoint.host(), match, TlsContexts.upstreamOutsideMesh(tls.caCert(),
                    tls.clientCert(), tls.clientKey(), tls.allowRenegotiation(), endpoint.host(), sni)));
        }
        return matches;
    }
}
