package io.ursa.xds.generator;

import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.ursa.xds.context.MeshMtls;
import io.ursa.xds.context.CarriedKey;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.envoy.Configurer;
import io.ursa.xds.envoy.listeners.FilterChainConfigurers;
import io.ursa.xds.envoy.listeners.ListenerConfigurers;
import io.ursa.xds.envoy.tls.TlsContexts;
import io.ursa.xds.names.EnvoyNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;

/**
 * How a sidecar's inbound listeners accept connections under mesh mTLS ({@code kuma-2.0-envoy-config.md}
 * §2.6–2.8, Kuma's {@code ServerSideMTLS} and {@code NetworkRBAC} configurers):
 * <ul>
 *   <li>mTLS off: one plaintext chain, no RBAC;</li>
 *   <li>STRICT: one chain whose transport socket is {@link #downstream the mesh's DownstreamTlsContext};</li>
 *   <li>PERMISSIVE: the {@code tls_inspector} listener filter and three chains, all with the same filters:
 *       {@code raw_buffer} (plaintext), {@code tls} (the application's own TLS, passed through), and {@code tls}
 *       with ALPN {@code kuma} (mesh mTLS).</li>
 * </ul>
 * With mTLS on, every chain starts with the network RBAC filter of the inbound's TrafficPermission
 * ({@link TrafficPermissionRbac}). Stateless.
 *
 * <p>Turning mTLS on regenerates every proxy of the mesh at once, so what does not depend on the proxy's own
 * address is computed once per mesh context ({@link io.ursa.xds.context.SharedResources}) and shared: the
 * DownstreamTlsContext of the mesh, and the RBAC rules of each set of inbound tags, packed once
 * ({@link SharedRbacFilter}); only the filter's stat prefix, which names the listener, is each listener's own.
 *
 * <p><b>Deliberate divergence from Kuma:</b> the validation context accepts a client URI SAN with prefix
 * {@code spiffe://<m>/} for <em>each</em> mesh m of {@link MeshMtls#trustedMeshes()} (sorted), not only the own
 * mesh, so that meshes sharing a provided CA can call each other and TrafficPermission decides who may.
 */
final class ServerSideMtls {
    private ServerSideMtls() {
    }

    /** What the RBAC rules of an inbound depend on besides the mesh context: its tags. */
    private record RbacInputs(Map<String, String> inboundTags) implements CarriedKey {
        /** TrafficPermissions and mTLS, which a narrow change leaves as they were. */
        @Override
        public boolean affectedBy(Set<String> changedServices, boolean policiesChanged) {
            return false;
        }
    }

    /** What the mesh's DownstreamTlsContext depends on besides the mesh context. */
    private record DownstreamInputs(String mesh, SortedSet<String> trustedMeshes) implements CarriedKey {
        @Override
        public boolean affectedBy(Set<String> changedServices, boolean policiesChanged) {
            return false;
        }
    }

    /**
     * {@code filters} preceded by the network RBAC filter of the inbound with {@code inboundTags} (stats under the
     * listener's name) when mTLS is on; {@code filters} alone otherwise.
     */
    static List<Filter> withRbac(ProxyContext proxy, String listenerName, Map<String, String> inboundTags,
                                 List<Filter> filters) {
        if (proxy.mtls().isEmpty()) {
            return filters;
        }
        List<Filter> all = new ArrayList<>();
        SharedRbacFilter rbac = proxy.mesh().shared().computeIfAbsent(new RbacInputs(inboundTags),
                () -> SharedRbacFilter.of(TrafficPermissionRbac.forInbound(proxy, inboundTags)));
        all.add(rbac.withStatPrefix(EnvoyNames.rbacStatPrefix(listenerName)));
        all.addAll(filters);
        return all;
    }

    /** The filter chains of an inbound listener made of {@code filters}, by mTLS mode (see the type comment). */
    static Configurer<Listener.Builder> inboundChains(ProxyContext proxy, List<Filter> filters) {
        Optional<MeshMtls> mtls = proxy.mtls();
        if (mtls.isEmpty()) {
            return ListenerConfigurers.filterChain(filters);
        }
        Configurer<Listener.Builder> mutualTls = ListenerConfigurers.filterChain(filters,
                List.of(FilterChainConfigurers.transportSocket(downstream(proxy))));
        if (!mtls.get().permissive()) {
            return mutualTls;
        }
        List<Configurer<Listener.Builder>> parts = List.of(
                ListenerConfigurers.tlsInspector(),
                ListenerConfigurers.filterChain(filters,
                        List.of(FilterChainConfigurers.transportProtocol(FilterChainConfigurers.RAW_BUFFER))),
                ListenerConfigurers.filterChain(filters,
                        List.of(FilterChainConfigurers.transportProtocol(FilterChainConfigurers.TLS))),
                ListenerConfigurers.filterChain(filters, List.of(
                        FilterChainConfigurers.transportProtocol(FilterChainConfigurers.TLS),
                        FilterChainConfigurers.applicationProtocols(List.of(TlsContexts.KUMA_ALPN)),
                        FilterChainConfigurers.transportSocket(downstream(proxy)))));
        return listener -> parts.forEach(part -> part.configure(listener));
    }

    /**
     * The mesh's server-side TLS: client certificate required, identity and CA over SDS, client SPIFFE ID in one of
     * the trusted meshes.
     *
     * @throws IllegalStateException when the mesh's mTLS is off
     */
    static TransportSocket downstream(ProxyContext proxy) {
        MeshMtls mtls = proxy.mtls().orElseThrow(() -> new IllegalStateException("mesh " + proxy.mesh().name()
                + " has mTLS off (expected: on for a server-side TLS context)"));
        String mesh = proxy.mesh().name();
        return proxy.mesh().shared().computeIfAbsent(new DownstreamInputs(mesh, mtls.trustedMeshes()), () -> {
            List<String> prefixes = mtls.trustedMeshes().stream().map(SpiffeIds::meshPrefix).toList();
            return TlsContexts.transportSocket(TlsContexts.downstreamSds(EnvoyNames.identityCertSecret(mesh),
                    EnvoyNames.meshCaSecret(mesh), prefixes));
        });
    }
}
