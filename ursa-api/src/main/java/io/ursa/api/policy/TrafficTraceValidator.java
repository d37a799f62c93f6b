package io.ursa.api.policy;

import io.ursa.api.validation.Violations;

/** Shape validation of TrafficTrace. */
public final class TrafficTraceValidator {
    private TrafficTraceValidator() {
    }

    public static void validate(TrafficTraceSpec spec, Violations violations) {
    }
}
