package io.ursa.api.mesh;

import io.ursa.api.validation.Violations;

/** Shape validation of Mesh. */
public final class MeshValidator {
    private MeshValidator() {
    }

    public static void validate(MeshSpec spec, Violations violations) {
    }
}
