package io.ursa.api.policy;

import io.ursa.api.validation.Violations;

/** Shape validation of FaultInjection. */
public final class FaultInjectionValidator {
    private FaultInjectionValidator() {
    }

    public static void validate(FaultInjectionSpec spec, Violations violations) {
    }
}
