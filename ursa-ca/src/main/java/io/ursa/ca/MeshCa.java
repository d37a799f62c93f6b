package io.ursa.ca;

import static java.util.Objects.requireNonNull;

import io.ursa.api.mesh.Mtls;
import io.ursa.core.ca.CaKeyPair;
import java.time.Duration;
import java.time.Instant;

/**
 * The CA of a mesh whose mTLS is on: its enabled backend, the material that signs proxy certificates, and what
 * proxies are told to trust. {@link #toString()} never shows the key.
 *
 * @param mesh                the mesh
 * @param backend             {@code mtls.enabledBackend}
 * @param type                the backend's type ({@code builtin}, {@code provided})
 * @param mode                STRICT or PERMISSIVE
 * @param signer              the CA certificate (chain) and key
 * @param trustedRootsPem     the CA certificates proxies trust (the backend's chain, re-encoded as PEM)
 * @param fingerprint         SHA-256 of the CA certificate's DER, as colon-separated upper-case hex (the form
 *                            {@code openssl x509 -fingerprint -sha256} prints)
 * @param notAfter            when the CA certificate expires
 * @param certificateLifetime how long a proxy certificate is valid ({@code dpCert.rotation.expiration}, 24h
 *                            by default)
 */
public record MeshCa(String mesh, String backend, String type, Mtls.Mode mode, CaKeyPair signer,
                     String trustedRootsPem, String fingerprint, Instant notAfter, Duration certificateLifetime) {
    public MeshCa {
        requireNonNull(mesh, "mesh");
        requireNonNull(backend, "backend");
        requireNonNull(type, "type");
        requireNonNull(mode, "mode");
        requireNonNull(signer, "signer");
        requireNonNull(trustedRootsPem, "trustedRootsPem");
        requireNonNull(fingerprint, "fingerprint");
        requireNonNull(notAfter, "notAfter");
        requireNonNull(certificateLifetime, "certificateLifetime");
    }
}
