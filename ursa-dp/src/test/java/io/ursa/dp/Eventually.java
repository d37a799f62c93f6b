package io.ursa.dp;

import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * Waits on a condition with room for a loaded build machine: starting a JVM-forked shell script can take seconds
 * when other builds share the cores, so the limit is generous; a passing condition returns at once.
 */
final class Eventually {
    private Eventually() {
    }

    static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(20));
    }
}
