package io.ursa.api.policy;

import io.ursa.api.validation.Violations;

/** Shape validation of TrafficPermission: sources and destinations with at least one tag each. */
public final class TrafficPermissionValidator {
    private TrafficPermissionValidator() {
    }

    public static void validate(TrafficPermissionSpec spec, Violations violations) {
        PolicySelectors.validate(spec.sources(), PolicySelectors.ANY_TAGS,
                spec.destinations(), PolicySelectors.ANY_TAGS, violations);
    }
}
