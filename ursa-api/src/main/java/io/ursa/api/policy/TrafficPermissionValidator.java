package io.ursa.api.policy;

import io.ursa.api.validation.Violations;

/** Shape validation of TrafficPermission. */
public final class TrafficPermissionValidator {
    private TrafficPermissionValidator() {
    }

    public static void validate(TrafficPermissionSpec spec, Violations violations) {
    }
}
