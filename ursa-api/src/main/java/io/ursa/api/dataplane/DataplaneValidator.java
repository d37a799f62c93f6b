package io.ursa.api.dataplane;

import io.ursa.api.validation.Violations;

/** Shape validation of Dataplane. */
public final class DataplaneValidator {
    private DataplaneValidator() {
    }

    public static void validate(DataplaneSpec spec, Violations violations) {
    }
}
