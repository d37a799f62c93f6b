package io.ursa.api.secret;

import io.ursa.api.validation.Violations;

/** Shape validation of Secret. */
public final class SecretValidator {
    private SecretValidator() {
    }

    public static void validate(SecretSpec spec, Violations violations) {
    }
}
