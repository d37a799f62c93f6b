package io.ursa.testing.cluster;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that stands still until a test moves it. Thread-safe. */
public final class ManualClock extends Clock {
    private volatile Instant now;

    public ManualClock(Instant start) {
        this.now = requireNonNull(start, "start");
    }

    /** Moves the clock forward by {@code amount} and returns the new time. */
    public synchronized Instant advance(Duration amount) {
        now = now.plus(requireNonNull(amount, "amount"));
        return now;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a ManualClock stays in UTC");
    }
}
