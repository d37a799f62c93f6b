package io.ursa.api.policy;

import io.ursa.api.validation.Violations;

/** Shape validation of TrafficLog: selectors only; an empty {@code conf} means the Mesh's default backend. */
public final class TrafficLogValidator {
    private TrafficLogValidator() {
    }

    public static void validate(TrafficLogSpec spec, Violations violations) {
        PolicySelectors.validateServiceToService(spec.sources(), spec.destinations(), violations);
    }
}
