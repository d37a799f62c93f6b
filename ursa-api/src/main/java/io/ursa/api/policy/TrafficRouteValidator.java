package io.ursa.api.policy;

import io.ursa.api.validation.Violations;

/** Shape validation of TrafficRoute. */
public final class TrafficRouteValidator {
    private TrafficRouteValidator() {
    }

    public static void validate(TrafficRouteSpec spec, Violations violations) {
    }
}
