package io.ursa.dp;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A one-way "please stop" flag that waits can end on. Thread-safe; once requested it stays requested. */
final class StopSignal {
    private final CountDownLatch latch = new CountDownLatch(1);

    void request() {
        latch.countDown();
    }

    boolean isRequested() {
        return latch.getCount() == 0;
    }

    /** Waits up to {@code timeout}; true when the stop was requested before or during the wait. */
    boolean await(Duration timeout) throws InterruptedException {
        return latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
