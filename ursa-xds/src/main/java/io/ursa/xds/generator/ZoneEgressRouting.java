package io.ursa.xds.generator;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.ursa.api.policy.CircuitBreakerSpec;
import io.ursa.api.policy.HealthCheckSpec;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.ZoneEgressProxy;
import io.ursa.xds.envoy.clusters.ClusterBuilder;
import io.ursa.xds.envoy.clusters.ClusterConfigurers;
import io.ursa.xds.envoy.tls.TlsContexts;
import io.ursa.xds.generator.RouteTargets.ClusterPlan;
import io.ursa.xds.names.EnvoyNames;
import java.util.Optional;

/**
 * A sidecar's way to the ExternalServices of a mesh with {@code routing.zoneEgress: true} (mesh-spec §6.2, Kuma's
 * {@code outbound_proxy_generator.go}): instead of a cluster straight to the external address, an EDS cluster
 * whose endpoints are the ZoneEgresses ({@link io.ursa.xds.context.MeshContextBuilder} puts them in the mesh
 * context as the endpoints of the ExternalService's service, one per ExternalService and ZoneEgress, with the
 * ExternalService's tags), over the mesh's mTLS with the SNI {@code <service>{mesh=<mesh>,...}} that tells the
 * egress which mesh and service the connection is for, requiring the egress's identity
 * {@code spiffe://<mesh>/zone-egress}.
 *
 * <p>Always mTLS, also in PERMISSIVE mode (the egress accepts nothing else; Kuma counts ExternalServices as
 * TLS-ready). The egress, not the sidecar, applies the caller-side RateLimit toward the ExternalService. Without
 * a ZoneEgress the cluster has no endpoints and the ExternalService is unreachable, as in Kuma: the mesh asked for
 * its external traffic to leave through an egress. Stateless.
 */
public final class ZoneEgressRouting {
    private ZoneEgressRouting() {
    }

    /** Whether the ExternalServices of the mesh are reached through zone egress: it is on and mTLS works. */
    public static boolean applies(MeshContext mesh) {
        return mesh.mesh().spec().zoneEgressEnabled() && mesh.mtls().isPresent();
    }

    /** {@link #applies(MeshContext)} for the proxy's mesh. */
    static boolean applies(ProxyContext proxy) {
        return applies(proxy.mesh());
    }

    /** The sidecar's cluster of {@code plan}, an ExternalService's service, toward the zone egresses. */
    static Cluster cluster(ProxyContext proxy, ClusterPlan plan, ServiceProtocol protocol,
                           Optional<CircuitBreakerSpec.Conf> breaker, Optional<HealthCheckSpec.Conf> healthCheck) {
        String mesh = proxy.mesh().name();
        ClusterBuilder cluster = ClusterBuilder.named(plan.name())
                .configure(ClusterConfigurers.eds())
                .configure(TimeoutConfigurers.connectTimeout(plan.timeout()))
                .configure(ExternalServiceClusters.upstreamProtocol(plan, protocol));
        return cluster
                .configure(ClusterConfigurers.transportSocket(TlsContexts.transportSocket(TlsContexts.upstreamSds(
                        EnvoyNames.sni(plan.service(), mesh, plan.tags()), EnvoyNames.identityCertSecret(mesh),
                        EnvoyNames.meshCaSecret(mesh), SpiffeIds.of(mesh, ZoneEgressProxy.SERVICE)))))
                .configure(CircuitBreakerConfigurers.thresholds(breaker))
                .configure(CircuitBreakerConfigurers.outlierDetection(breaker))
                .configure(HealthCheckConfigurers.of(healthCheck, protocol))
                .build();
    }
}
