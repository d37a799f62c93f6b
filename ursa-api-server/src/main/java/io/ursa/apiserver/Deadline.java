package io.ursa.apiserver;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A timer that runs {@code onExpiry} once {@code timeout} has passed since {@link #arm()}, unless
 * {@link #disarm()} came first. Arming an armed deadline keeps the earlier expiry. A zero timeout never expires.
 * Thread-safe: armed and disarmed on a connection's thread, expired on the scheduler's; an expiry that races a
 * disarm or a new arm is dropped (each arm has its own number).
 */
final class Deadline {
    private final Scheduler scheduler;
    private final Duration timeout;
    private final Runnable onExpiry;
    private long armed; // number of the current arm; guarded by this
    private boolean active; // guarded by this
    private Scheduler.Task task; // guarded by this

    Deadline(Scheduler scheduler, Duration timeout, Runnable onExpiry) {
        this.scheduler = requireNonNull(scheduler, "scheduler");
        this.timeout = requireNonNull(timeout, "timeout");
        this.onExpiry = requireNonNull(onExpiry, "onExpiry");
    }

    synchronized void arm() {
        if (active || timeout.isZero()) {
            return;
        }
        active = true;
        long number = ++armed;
        task = scheduler.schedule(() -> expire(number), timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    synchronized void disarm() {
        if (!active) {
            return;
        }
        active = false;
        armed++;
        if (task != null) {
            task.cancel();
            task = null;
        }
    }

    private void expire(long number) {
        synchronized (this) {
            if (!active || armed != number) {
                return;
            }
            active = false;
            task = null;
        }
        onExpiry.run();
    }
}
