package io.ursa.api.mesh;

import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import java.util.List;

/** The {@code mtls} rules of Kuma 2.0's {@code validateMtls}. */
final class MtlsValidation {
    /** Kuma's {@code AllowedMTLSBackends}. */
    static final int MAX_BACKENDS = 1;

    private MtlsValidation() {
    }

    static void validate(Mtls mtls, Path path, Violations violations) {
        if (mtls == null) {
            return;
        }
        List<Mtls.Backend> backends = mtls.backends();
        if (backends.size() > MAX_BACKENDS) {
            violations.add(path.field("backends"), "cannot have more than " + MAX_BACKENDS + " backends");
        }
        BackendChecks.Names names = new BackendChecks.Names();
        for (int i = 0; i < backends.size(); i++) {
            names.add(backends.get(i).name(), path.field("backends").index(i), violations);
        }
        names.checkReference(mtls.enabledBackend(), path.field("enabledBackend"),
                "has to be set to one of the backends in the mesh", violations);
        for (Mtls.Backend backend : backends) {
            if (backend.dpCert() != null && KumaDuration.parse(expiration(backend.dpCert())).isEmpty()) {
                // Kuma's path quirk: lowercase "dpcert" and no backend index.
                violations.add(path.field("dpcert.rotation.expiration"), "has to be a valid format");
            }
        }
    }

    private static String expiration(Mtls.DpCert dpCert) {
        return dpCert.rotation() == null ? "" : dpCert.rotation().expiration();
    }
}
