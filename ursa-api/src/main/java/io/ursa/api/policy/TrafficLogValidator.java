package io.ursa.api.policy;

import io.ursa.api.validation.Violations;

/** Shape validation of TrafficLog. */
public final class TrafficLogValidator {
    private TrafficLogValidator() {
    }

    public static void validate(TrafficLogSpec spec, Violations violations) {
    }
}
