package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * When Envoy dies without being asked to, it is restarted after a backoff that doubles with every consecutive
 * fast failure (an exit within {@code healthyUptime} of starting), from {@code initialBackoff} up to
 * {@code maxBackoff}. After {@code maxFastFailures} fast failures in a row the agent gives up: such an Envoy
 * will not come up by itself (bad bootstrap, port taken, wrong binary).
 */
record RestartPolicy(Duration initialBackoff, Duration maxBackoff, Duration healthyUptime, int maxFastFailures) {
    static final RestartPolicy DEFAULT =
            new RestartPolicy(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10), 5);

    RestartPolicy {
        requireNonNull(initialBackoff, "initialBackoff");
        requireNonNull(maxBackoff, "maxBackoff");
        requireNonNull(healthyUptime, "healthyUptime");
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("invalid backoff: " + initialBackoff + " to " + maxBackoff
                    + " (expected: 0 <= initial <= max)");
        }
        if (maxFastFailures < 1) {
            throw new IllegalArgumentException("invalid maxFastFailures: " + maxFastFailures + " (expected: >= 1)");
        }
    }

    /** The wait before the next start, after {@code fastFailures} fast failures in a row (0 after a healthy run). */
    Duration backoff(int fastFailures) {
        Duration backoff = initialBackoff;
        for (int i = 1; i < fastFailures && backoff.compareTo(maxBackoff) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        return backoff.compareTo(maxBackoff) > 0 ? maxBackoff : backoff;
    }
}
