package io.ursa.api.policy;

import io.ursa.api.validation.Violations;

/** Shape validation of HealthCheck. */
public final class HealthCheckValidator {
    private HealthCheckValidator() {
    }

    public static void validate(HealthCheckSpec spec, Violations violations) {
    }
}
