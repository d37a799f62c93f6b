package io.ursa.xds.server;

import static java.util.Objects.requireNonNull;

import io.ursa.xds.context.Endpoint;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.MeshMtls;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which sidecars accept mesh mTLS now: those connected whose Envoy has acknowledged the SDS response carrying its
 * identity certificate from its mesh's enabled CA backend. From this, a PERMISSIVE mesh's "TLS-ready" services
 * (Kuma 2.0: every instance has a certificate from the enabled backend) are those whose every endpoint is such a
 * sidecar; their callers send mTLS, the others plaintext ({@link MeshMtls#tlsReadyServices}).
 *
 * <p>Ursa waits for the acknowledgement, where Kuma counts a certificate as soon as it is issued: a caller never
 * switches to mTLS before the destination's Envoy can terminate it. A proxyless gRPC application is never ready
 * here (its server has no TLS in PERMISSIVE mode), and a proxy stops being ready when its last stream closes.
 *
 * <p>Threads: {@link #sent}, {@link #acknowledged} and {@link #forget} run on the reconciler thread; {@link
 * #readyBackend} may be read from any thread (insights).
 */
final class TlsReadiness {
    /** Secret versions remembered per proxy: enough for responses still in flight when a newer one is sent. */
    private static final int VERSIONS_KEPT = 8;

    /** Per proxy, the CA backend whose identity each recently sent Secret version carries. Reconciler thread. */
    private final Map<ProxyKey, Map<String, String>> sent = new HashMap<>();
    /** Per ready proxy, the backend of the identity its Envoy acknowledged. */
    private final Map<ProxyKey, String> ready = new ConcurrentHashMap<>();

    /** The proxy was sent Secret version {@code version}, whose identity certificate {@code backend} issued. */
    void sent(ProxyKey key, String version, String backend) {
        requireNonNull(version, "version");
        requireNonNull(backend, "backend");
        sent.computeIfAbsent(requireNonNull(key, "key"), k -> new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > VERSIONS_KEPT;
            }
        }).put(version, backend);
    }

    /**
     * The proxy's Envoy acknowledged Secret version {@code version}.
     *
     * @return whether the backend it is ready for changed
     */
    boolean acknowledged(ProxyKey key, String version) {
        Map<String, String> versions = sent.get(requireNonNull(key, "key"));
        String backend = versions == null ? null : versions.get(version);
        if (backend == null) {
            return false; // not a version this control plane sent with an identity
        }
        return !backend.equals(ready.put(key, backend));
    }

    /**
     * The proxy has no open stream any more.
     *
     * @return whether it was ready
     */
    boolean forget(ProxyKey key) {
        sent.remove(key);
        return ready.remove(key) != null;
    }

    /** The CA backend the proxy accepts mesh mTLS with; empty when it is not ready. */
    Optional<String> readyBackend(ProxyKey key) {
        return Optional.ofNullable(ready.get(key));
    }

    /**
     * {@code context} with its TLS-ready services when its mesh is in PERMISSIVE mode: a service is ready when it
     * has endpoints and each one's sidecar is ready for the mesh's enabled backend. Otherwise {@code context}.
     */
    MeshContext applyTo(MeshContext context) {
        Optional<MeshMtls> mtls = context.mtls();
        if (mtls.isEmpty() || !mtls.get().permissive()) {
            return context;
        }
        String backend = mtls.get().backend();
        SortedSet<String> services = new TreeSet<>();
        context.endpoints().forEach((service, endpoints) -> {
            if (allReady(context.name(), endpoints, backend)) {
                services.add(service);
            }
        });
        return context.withTlsReadyServices(services);
    }

    private boolean allReady(String mesh, List<Endpoint> endpoints, String backend) {
        if (endpoints.isEmpty()) {
            return false;
        }
        for (Endpoint endpoint : endpoints) {
            if (!backend.equals(ready.get(new ProxyKey(mesh, endpoint.dataplane())))) {
                return false;
            }
        }
        return true;
    }
}
