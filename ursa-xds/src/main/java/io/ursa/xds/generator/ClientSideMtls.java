package io.ursa.xds.generator;

import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.ursa.api.dataplane.GrpcBootstrap;
import io.ursa.xds.context.MeshMtls;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.envoy.tls.TlsContexts;
import io.ursa.xds.generator.RouteTargets.ClusterPlan;
import io.ursa.xds.names.EnvoyNames;
import java.util.Optional;

/**
 * The TLS a proxy uses toward a mesh service ({@code kuma-2.0-envoy-config.md} §3.6, Kuma's
 * {@code ClientSideMTLSConfigurer}), for both profiles: a sidecar's {@code UpstreamTlsContext} over SDS with SNI
 * and ALPN {@code kuma}, a proxyless client's with the bootstrap's certificate provider; both require the server
 * to present {@code spiffe://<mesh>/<service>}.
 *
 * <p>In STRICT mode every destination gets mTLS. In PERMISSIVE mode, as in Kuma 2.0, a destination gets mTLS once it
 * is TLS-ready (every instance is a sidecar that has confirmed its identity certificate, {@link
 * MeshMtls#tlsReadyServices}) and plaintext before, which its PERMISSIVE inbounds accept too. So a TrafficPermission
 * naming sources works in PERMISSIVE mode as soon as the destination is ready. A proxyless gRPC server has no TLS in
 * PERMISSIVE mode (grpc-xds cannot sniff it), so a service with a proxyless instance stays plaintext until the mesh is
 * STRICT.
 *
 * <p>A cross-mesh destination (a cluster toward the cross-mesh gateway listeners of mesh M, {@link
 * ClusterPlan#upstreamMesh}; Kuma's {@code CrossMeshClientSideMTLS}) always gets mTLS: the proxy's own identity
 * ({@code identity_cert:secret:<own mesh>}), M's CA ({@code mesh_ca:secret:<M>}), SNI {@code <service>{mesh=M,...}},
 * ALPN {@code kuma}, and the gateway's SAN {@code spiffe://M/<service>}. A gateway's cross-mesh listener only
 * accepts mesh mTLS, so M's PERMISSIVE mode changes nothing here.
 *
 * <p>One Ursa cluster has exactly one tag set ({@link RouteTargets} names clusters by their full tags), so Kuma's
 * {@code transportSocketMatches} (one cluster, several tag sets) never applies: a cluster gets one
 * {@code transportSocket}. Stateless.
 */
final class ClientSideMtls {
    private ClientSideMtls() {
    }

    /** The sidecar's transport socket toward the endpoints of {@code plan}; empty for plaintext. */
    static Optional<TransportSocket> envoy(ProxyContext proxy, ClusterPlan plan) {
        if (plan.upstreamMesh().isPresent()) {
            String upstream = plan.upstreamMesh().get();
            return Optional.of(TlsContexts.transportSocket(TlsContexts.upstreamSds(
                    EnvoyNames.sni(plan.service(), upstream, plan.tags()),
                    EnvoyNames.identityCertSecret(proxy.mesh().name()), EnvoyNames.meshCaSecret(upstream),
                    SpiffeIds.of(upstream, plan.service()))));
        }
        return envoy(proxy, plan.service(), plan.tags());
    }

    /** The sidecar's (or builtin gateway's) transport socket toward the endpoints of {@code service} with {@code tags}. */
    static Optional<TransportSocket> envoy(ProxyContext proxy, String service, java.util.Map<String, String> tags) {
        if (!mtlsTo(proxy, service)) {
            return Optional.empty();
        }
        String mesh = proxy.mesh().name();
        return Optional.of(TlsContexts.transportSocket(TlsContexts.upstreamSds(
                EnvoyNames.sni(service, mesh, tags), EnvoyNames.identityCertSecret(mesh),
                EnvoyNames.meshCaSecret(mesh), SpiffeIds.of(mesh, service))));
    }

    /**
     * The proxyless client's transport socket toward the cross-mesh gateways of mesh {@code upstreamMesh}: its own
     * identity, the CA of the bootstrap's cross-mesh certificate provider (the reachable meshes' roots only), and
     * the gateway's SAN {@code spiffe://<upstreamMesh>/<service>}.
     */
    static TransportSocket grpcCrossMesh(String upstreamMesh, String service) {
        return TlsContexts.transportSocket(TlsContexts.upstreamCertificateProviders(
                GrpcBootstrap.CERTIFICATE_PROVIDER, GrpcBootstrap.CROSS_MESH_CERTIFICATE_PROVIDER,
                GrpcBootstrap.CERTIFICATE_NAME, SpiffeIds.of(upstreamMesh, service)));
    }

    /** The proxyless client's transport socket toward the applications of {@code service}; empty for plaintext. */
    static Optional<TransportSocket> grpc(ProxyContext proxy, String service) {
        if (!mtlsTo(proxy, service)) {
            return Optional.empty();
        }
        return Optional.of(TlsContexts.transportSocket(TlsContexts.upstreamCertificateProvider(
                GrpcBootstrap.CERTIFICATE_PROVIDER, GrpcBootstrap.CERTIFICATE_NAME,
                SpiffeIds.of(proxy.mesh().name(), service))));
    }

    /** Whether the proxy's mesh has mTLS on and sends it to {@code service} (STRICT, or PERMISSIVE and ready). */
    private static boolean mtlsTo(ProxyContext proxy, String service) {
        return proxy.mtls().map(m -> m.sendsMtlsTo(service)).orElse(false);
    }
}
