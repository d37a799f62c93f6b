package io.ursa.api.mesh;

import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
        Set<String> names = new HashSet<>();
        for (int i = 0; i < backends.size(); i++) {
            String name = backends.get(i).name();
            if (!names.add(name)) {
                violations.add(path.field("backends").index(i).field("name"),
                        GoQuote.quote(name) + " name is already used for another backend");
            }
        }
        if (!mtls.enabledBackend().isEmpty() && !names.contains(mtls.enabledBackend())) {
            violations.add(path.field("enabledBackend"), "has to be set to one of the backends in the mesh");
        }
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
