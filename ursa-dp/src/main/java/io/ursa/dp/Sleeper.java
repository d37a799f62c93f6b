package io.ursa.dp;

import java.time.Duration;

/**
 * How the agent waits between attempts (bootstrap retries, Envoy restarts). Production waits in real time and
 * wakes up early on a stop request; tests advance a fake clock instead, so backoffs of seconds cost nothing.
 */
@FunctionalInterface
interface Sleeper {
    /** Waits {@code duration}; returns false when {@code stop} was requested before or during the wait. */
    boolean sleep(Duration duration, StopSignal stop) throws InterruptedException;

    static Sleeper real() {
        return (duration, stop) -> !stop.await(duration);
    }
}
