package io.ursa.api.policy;

import io.ursa.api.validation.Violations;

/** Shape validation of CircuitBreaker. */
public final class CircuitBreakerValidator {
    private CircuitBreakerValidator() {
    }

    public static void validate(CircuitBreakerSpec spec, Violations violations) {
    }
}
