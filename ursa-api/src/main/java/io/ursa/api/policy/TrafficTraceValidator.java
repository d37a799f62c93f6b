package io.ursa.api.policy;

import io.ursa.api.validation.Violations;

/** Shape validation of TrafficTrace: selectors only; an empty {@code conf} means the Mesh's default backend. */
public final class TrafficTraceValidator {
    private TrafficTraceValidator() {
    }

    public static void validate(TrafficTraceSpec spec, Violations violations) {
        PolicySelectors.validateSelectors(spec.selectors(), PolicySelectors.ANY_TAGS, violations);
    }
}
