package io.ursa.xds.context;

import static java.util.Objects.requireNonNull;

import io.ursa.api.mesh.Mtls;
import io.ursa.ca.MeshCa;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The mTLS side of a mesh whose {@code mtls.enabledBackend} is set: its CA, and the meshes whose proxies its
 * inbounds accept.
 *
 * @param backend        {@code mtls.enabledBackend}
 * @param mode           STRICT (mTLS only) or PERMISSIVE (plaintext accepted as well, spec §13.5)
 * @param ca             the mesh's CA; empty when it cannot be used right now, then {@code unavailable} says why
 *                       and no proxy of the mesh can be given an identity
 * @param unavailable    why the CA cannot be used; empty when {@code ca} is present
 * @param trustedMeshes  this mesh and every other mesh with mTLS on whose CA certificate is the same (a shared
 *                       {@code provided} CA): inbounds accept clients whose SPIFFE ID is in one of them, and
 *                       TrafficPermission decides which may call
 * @param tlsReadyServices in PERMISSIVE mode, the services every instance of which accepts mesh mTLS now (each one
 *                       is a sidecar that has confirmed its identity certificate from {@code backend}): proxies send
 *                       mTLS to these and plaintext to the others, as Kuma 2.0 does with its "TLS ready" services.
 *                       Always empty in STRICT mode, where every destination gets mTLS
 * @param rootsByMesh    the trusted root certificates (PEM) of every mesh of the control plane with mTLS on and a
 *                       usable CA, this one included, by mesh name: what {@code mesh_ca:secret:all} holds for a
 *                       builtin gateway with a cross-mesh listener
 */
public record MeshMtls(String backend, Mtls.Mode mode, Optional<MeshCa> ca, String unavailable,
                       SortedSet<String> trustedMeshes, SortedSet<String> tlsReadyServices,
                       SortedMap<String, String> rootsByMesh) {
    public MeshMtls {
        rootsByMesh = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(rootsByMesh, "rootsByMesh")));
        requireNonNull(backend, "backend");
        requireNonNull(mode, "mode");
        requireNonNull(ca, "ca");
        requireNonNull(unavailable, "unavailable");
        trustedMeshes = Collections.unmodifiableSortedSet(new TreeSet<>(requireNonNull(trustedMeshes,
                "trustedMeshes")));
        tlsReadyServices = Collections.unmodifiableSortedSet(new TreeSet<>(requireNonNull(tlsReadyServices,
                "tlsReadyServices")));
        if (mode != Mtls.Mode.PERMISSIVE && !tlsReadyServices.isEmpty()) {
            throw new IllegalArgumentException("TLS-ready services are only tracked in PERMISSIVE mode");
        }
        if (ca.isPresent() == !unavailable.isEmpty()) {
            throw new IllegalArgumentException("exactly one of ca and unavailable must be given");
        }
    }

    /** Without the roots of other meshes. */
    public MeshMtls(String backend, Mtls.Mode mode, Optional<MeshCa> ca, String unavailable,
                    SortedSet<String> trustedMeshes, SortedSet<String> tlsReadyServices) {
        this(backend, mode, ca, unavailable, trustedMeshes, tlsReadyServices, new TreeMap<>());
    }

    /** A mesh whose CA is usable. */
    public static MeshMtls of(MeshCa ca, SortedSet<String> trustedMeshes) {
        return of(ca, trustedMeshes, new TreeMap<>());
    }

    /** A mesh whose CA is usable, with the roots of every mesh with mTLS on ({@code rootsByMesh}). */
    public static MeshMtls of(MeshCa ca, SortedSet<String> trustedMeshes, SortedMap<String, String> rootsByMesh) {
        return new MeshMtls(ca.backend(), ca.mode(), Optional.of(ca), "", trustedMeshes, new TreeSet<>(),
                rootsByMesh);
    }

    /** The same, with {@code services} as the TLS-ready ones (PERMISSIVE mode only). */
    public MeshMtls withTlsReadyServices(SortedSet<String> services) {
        return new MeshMtls(backend, mode, ca, unavailable, trustedMeshes, services, rootsByMesh);
    }

    /**
     * The trusted roots of every mesh with mTLS on and a usable CA, joined with a newline in mesh-name order: the
     * content of {@code mesh_ca:secret:all}.
     */
    public String allMeshRootsPem() {
        return String.join("\n", rootsByMesh.values());
    }

    /**
     * Whether proxies of this mesh send mesh mTLS to {@code service}: always in STRICT mode; in PERMISSIVE mode
     * once the service is TLS-ready, plaintext before (its instances accept both).
     */
    public boolean sendsMtlsTo(String service) {
        return !permissive() || tlsReadyServices.contains(service);
    }

    /** Whether inbounds also accept plaintext. */
    public boolean permissive() {
        return mode == Mtls.Mode.PERMISSIVE;
    }

    /**
     * What the mesh context hash takes from mTLS: backend, mode, CA fingerprint (or failure), trust and the
     * TLS-ready services.
     */
    String hashInput() {
        return backend + "|" + mode + "|" + ca.map(c -> c.fingerprint() + "|" + c.certificateLifetime()
                + "|" + c.trustedRootsPem().hashCode()).orElse("unavailable:" + unavailable) + "|" + trustedMeshes
                + "|" + tlsReadyServices + "|" + rootsByMesh.keySet() + "|"
                + rootsByMesh.values().stream().map(pem -> ContentHash.combine("", pem)).toList();
    }
}
