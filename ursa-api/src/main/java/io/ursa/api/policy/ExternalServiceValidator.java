package io.ursa.api.policy;

import io.ursa.api.validation.Violations;

/** Shape validation of ExternalService. */
public final class ExternalServiceValidator {
    private ExternalServiceValidator() {
    }

    public static void validate(ExternalServiceSpec spec, Violations violations) {
    }
}
