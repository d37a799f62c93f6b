package io.ursa.api.secret;

import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;

/**
 * Shape validation of Secret: the value must not be empty. (Invalid base64 never gets here: it fails to decode,
 * with the field {@code data}.)
 */
public final class SecretValidator {
    private SecretValidator() {
    }

    public static void validate(SecretSpec spec, Violations violations) {
        if (spec.data() == null || spec.data().isEmpty()) {
            violations.add(Path.of("data"), "cannot be empty");
        }
    }
}
