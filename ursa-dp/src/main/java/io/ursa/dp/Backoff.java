package io.ursa.dp;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How long {@code grpc-agent} waits before opening its certificate stream again: {@code initial} after the first
 * failure, doubling with each failure in a row, never more than {@code max}.
 */
record Backoff(Duration initial, Duration max) {
    static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

    Backoff {
        requireNonNull(initial, "initial");
        requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("invalid initial back-off: " + Durations.format(initial)
                    + " (expected: positive)");
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("invalid maximum back-off: " + Durations.format(max)
                    + " (expected: at least " + Durations.format(initial) + ")");
        }
    }

    /** The wait after {@code failures} failures in a row (1 or more). */
    Duration delay(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("invalid failures: " + failures + " (expected: 1 or more)");
        }
        Duration delay = initial;
        for (int i = 1; i < failures && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
