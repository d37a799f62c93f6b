package io.ursa.xds.context;

import static java.util.Objects.requireNonNull;

import io.ursa.api.mesh.Mtls;
import io.ursa.ca.MeshCa;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedSet;
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
 */
public record MeshMtls(String backend, Mtls.Mode mode, Optional<MeshCa> ca, String unavailable,
                       SortedSet<String> trustedMeshes) {
    public MeshMtls {
        requireNonNull(backend, "backend");
        requireNonNull(mode, "mode");
        requireNonNull(ca, "ca");
        requireNonNull(unavailable, "unavailable");
        trustedMeshes = Collections.unmodifiableSortedSet(new TreeSet<>(requireNonNull(trustedMeshes,
                "trustedMeshes")));
        if (ca.isPresent() == !unavailable.isEmpty()) {
            throw new IllegalArgumentException("exactly one of ca and unavailable must be given");
        }
    }

    /** A mesh whose CA is usable. */
    public static MeshMtls of(MeshCa ca, SortedSet<String> trustedMeshes) {
        return new MeshMtls(ca.backend(), ca.mode(), Optional.of(ca), "", trustedMeshes);
    }

    /** Whether inbounds also accept plaintext. */
    public boolean permissive() {
        return mode == Mtls.Mode.PERMISSIVE;
    }

    /** What the mesh context hash takes from mTLS: backend, mode, CA fingerprint (or failure) and trust. */
    String hashInput() {
        return backend + "|" + mode + "|" + ca.map(c -> c.fingerprint() + "|" + c.certificateLifetime()
                + "|" + c.trustedRootsPem().hashCode()).orElse("unavailable:" + unavailable) + "|" + trustedMeshes;
    }
}
