package io.ursa.xds.generator;

import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.ursa.ca.MeshCa;
import io.ursa.xds.context.MeshMtls;
import io.ursa.xds.context.CarriedKey;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.ProxyIdentity;
import io.ursa.xds.context.ProxyKind;
import io.ursa.xds.envoy.tls.Secrets;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.resources.ResourceSet;
import java.util.Optional;
import java.util.Set;

/**
 * The SDS secrets of a proxy whose mesh has mTLS on ({@code kuma-2.0-envoy-config.md} §7, Kuma's
 * {@code pkg/xds/generator/secrets/generator.go}):
 * <ul>
 *   <li>{@code identity_cert:secret:<mesh>}: the proxy's own certificate (leaf only) and PKCS#8 key;</li>
 *   <li>{@code mesh_ca:secret:<mesh>}: the CA certificates of the mesh's enabled backend, which peers must chain
 *       to;</li>
 *   <li>{@code mesh_ca:secret:<other mesh>} for every other mesh whose cross-mesh gateway listeners the mesh
 *       reaches ({@link io.ursa.xds.context.CrossMesh}): that mesh's CA roots, which only the clusters toward its
 *       gateways validate against;</li>
 *   <li>for a proxyless gRPC application whose mesh reaches some, {@code cross_mesh_ca:secret:<mesh>}: the roots of
 *       all those meshes in one bundle, which {@code ursa-dp grpc-agent} writes for the bootstrap's cross-mesh
 *       certificate provider ({@code GrpcBootstrap.CROSS_MESH_CERTIFICATE_PROVIDER}). The agent always asks for it;
 *       when there is none the DP server answers with the other two (it answers with what exists) and the agent
 *       writes an empty file.</li>
 * </ul>
 * In both profiles. A sidecar asks for them because its TLS contexts name them. A proxyless gRPC application never
 * asks for a Secret (its TLS contexts name a {@code certificate_providers} instance); the certificate agent
 * ({@code ursa-dp grpc-agent}) asks for them on its behalf, over ADS with the proxy's node, and writes the files
 * the provider watches.
 *
 * <p>Unlike Kuma, which emits only the secrets the other generators referenced, both are always emitted when mTLS
 * is on: every generator that uses one uses both, and a gRPC proxy's agent asks for both by name.
 *
 * <p>The CA secrets are the same for every proxy of a mesh context and are shared; the identity is each proxy's own.
 *
 * <p>Empty when the mesh's mTLS is off. Fails (a generation error) when mTLS is on but the proxy has no identity,
 * saying why: the mesh's CA cannot be used, or no certificate was issued.
 */
public final class SecretsGenerator implements Generator {
    @Override
    public String origin() {
        return Origins.SECRETS;
    }

    @Override
    public ResourceSet generate(ProxyContext proxy) {
        Optional<MeshMtls> found = proxy.mtls();
        if (found.isEmpty()) {
            return ResourceSet.empty();
        }
        MeshMtls mtls = found.get();
        String mesh = proxy.mesh().name();
        MeshCa ca = mtls.ca().orElseThrow(() -> new IllegalStateException("mesh " + mesh + " has mTLS on (backend "
                + mtls.backend() + ") but its CA cannot be used: " + mtls.unavailable()
                + " (expected: a usable CA to issue Dataplane " + proxy.dataplane().name() + " a certificate)"));
        ProxyIdentity identity = proxy.identity().orElseThrow(() -> new IllegalStateException("mesh " + mesh
                + " has mTLS on (backend " + mtls.backend() + ") but Dataplane " + proxy.dataplane().name()
                + " has no identity certificate (expected: one issued by the mesh's CA before generation)"));
        ResourceSet.Builder secrets = ResourceSet.builder()
                .add(Secrets.identity(EnvoyNames.identityCertSecret(mesh), identity.certificatePem(),
                        identity.privateKeyPem()))
                .add(trustedCa(proxy, EnvoyNames.meshCaSecret(mesh), ca.trustedRootsPem()));
        proxy.mesh().crossMesh().caRoots().forEach((other, roots) ->
                secrets.add(trustedCa(proxy, EnvoyNames.meshCaSecret(other), roots)));
        if (proxy.metadata().kind() == ProxyKind.GRPC && !proxy.mesh().crossMesh().caRoots().isEmpty()) {
            secrets.add(trustedCa(proxy, EnvoyNames.crossMeshCaSecret(mesh),
                    String.join("", proxy.mesh().crossMesh().caRoots().values())));
        }
        return secrets.build();
    }

    /** A CA secret, one instance for every proxy of the mesh context (hashed once for all of them). */
    private static Secret trustedCa(ProxyContext proxy, String name, String roots) {
        return proxy.mesh().shared().computeIfAbsent(new TrustedCaInputs(name, roots),
                () -> Secrets.trustedCa(name, roots));
    }

    /** What a CA secret is made of. */
    private record TrustedCaInputs(String name, String roots) implements CarriedKey {
        /** The secret is made of these alone. */
        @Override
        public boolean affectedBy(Set<String> changedServices, boolean policiesChanged) {
            return false;
        }
    }
}
