package io.ursa.api.policy;

import io.ursa.api.validation.Violations;

/** Shape validation of Timeout. */
public final class TimeoutValidator {
    private TimeoutValidator() {
    }

    public static void validate(TimeoutSpec spec, Violations violations) {
    }
}
