package io.ursa.api.policy;

import io.ursa.api.validation.Violations;

/** Shape validation of Retry. */
public final class RetryValidator {
    private RetryValidator() {
    }

    public static void validate(RetrySpec spec, Violations violations) {
    }
}
