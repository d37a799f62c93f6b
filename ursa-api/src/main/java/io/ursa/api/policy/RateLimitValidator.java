package io.ursa.api.policy;

import io.ursa.api.validation.Violations;

/** Shape validation of RateLimit. */
public final class RateLimitValidator {
    private RateLimitValidator() {
    }

    public static void validate(RateLimitSpec spec, Violations violations) {
    }
}
