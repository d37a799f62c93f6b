package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How long the agent keeps asking the control plane for its bootstrap: a constant {@code backoff} between
 * attempts ({@code URSA_CONTROL_PLANE_RETRY_BACKOFF}, 3s) for at most {@code maxDuration}
 * ({@code URSA_CONTROL_PLANE_RETRY_MAX_DURATION}, 5m), as kuma-dp does.
 */
record RetryPolicy(Duration backoff, Duration maxDuration) {
    static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(3), Duration.ofMinutes(5));

    RetryPolicy {
        requireNonNull(backoff, "backoff");
        requireNonNull(maxDuration, "maxDuration");
        if (backoff.isNegative() || backoff.isZero()) {
            throw new IllegalArgumentException("invalid retry backoff: " + Durations.format(backoff)
                    + " (expected: a positive duration)");
        }
        if (maxDuration.isNegative() || maxDuration.isZero()) {
            throw new IllegalArgumentException("invalid retry max duration: " + Durations.format(maxDuration)
                    + " (expected: a positive duration)");
        }
    }
}
