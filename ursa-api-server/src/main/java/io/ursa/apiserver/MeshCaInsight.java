package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ursa.api.codec.Json;
import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.mesh.Mtls;
import io.ursa.ca.MeshCa;
import io.ursa.ca.MeshCertificateAuthorities;
import io.ursa.core.ca.CaUnavailableException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ursa's addition to a MeshInsight: the field {@value #FIELD}, the CA of a mesh whose mTLS is on. Kuma 2.0 has
 * no such field; its {@code mTLS} object counts dataplanes per certificate backend and is left to that meaning.
 * <pre>{@code
 * "meshCa": {"backend": "ca-1", "type": "builtin", "mode": "STRICT",
 *            "fingerprint": "3A:5F:...:C2", "notAfter": "2035-05-01T10:00:00Z"}
 * }</pre>
 * {@code fingerprint} is the SHA-256 of the CA certificate's DER ({@code openssl x509 -fingerprint -sha256}),
 * {@code notAfter} its expiry in RFC 3339. When the CA cannot be used (its Secrets or file are gone, its material
 * does not parse, no plugin serves its type), {@code error} says why instead of {@code fingerprint} and
 * {@code notAfter}: a broken CA is shown, never turned into a failed request. Absent when mTLS is off.
 * Stateless and thread-safe.
 */
final class MeshCaInsight {
    static final String FIELD = "meshCa";

    private static final Logger log = LoggerFactory.getLogger(MeshCaInsight.class);

    private final MeshCertificateAuthorities cas;

    MeshCaInsight(MeshCertificateAuthorities cas) {
        this.cas = requireNonNull(cas, "cas");
    }

    /** Sets {@value #FIELD} on {@code insight} when the mesh's mTLS is on. */
    ObjectNode writeTo(ObjectNode insight, String mesh, MeshSpec spec) {
        of(mesh, spec).ifPresent(ca -> insight.set(FIELD, ca));
        return insight;
    }

    /** The {@value #FIELD} object of {@code mesh}; empty when its mTLS is off. */
    private Optional<ObjectNode> of(String mesh, MeshSpec spec) {
        if (!spec.mtlsEnabled()) {
            return Optional.empty();
        }
        ObjectNode out = Json.json().createObjectNode();
        try {
            MeshCa ca = cas.enabled(mesh, spec).orElseThrow();
            out.put("backend", ca.backend());
            out.put("type", ca.type());
            out.put("mode", ca.mode().name());
            out.put("fingerprint", ca.fingerprint());
            out.put("notAfter", ResourceCodec.formatTime(ca.notAfter()));
        } catch (CaUnavailableException e) {
            describeBackend(out, spec);
            out.put("error", e.getMessage());
        } catch (RuntimeException e) {
            // One mesh's CA must not fail the insight of every mesh; this is a bug to fix, so it is logged whole.
            log.warn("could not read the CA of mesh {}", mesh, e);
            describeBackend(out, spec);
            out.put("error", "the CA " + spec.mtls().enabledBackend() + " of mesh " + mesh
                    + " could not be read: " + e);
        }
        return Optional.of(out);
    }

    /** What the mesh spec says of its enabled backend (the type and mode are unknown if it is not listed). */
    private static void describeBackend(ObjectNode out, MeshSpec spec) {
        out.put("backend", spec.mtls().enabledBackend());
        Optional<Mtls.Backend> backend = spec.enabledMtlsBackend();
        backend.ifPresent(b -> {
            out.put("type", b.type());
            out.put("mode", b.mode().name());
        });
    }
}
