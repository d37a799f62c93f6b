package io.ursa.dp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesFromHalfASecondUpToThirtySeconds() {
        assertThat(IntStream.rangeClosed(1, 9).mapToObj(Backoff.DEFAULT::delay)).containsExactly(
                Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(16), Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(30));
        assertThat(Backoff.DEFAULT.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void refusesWhatCannotBeABackOff() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessage("invalid initial back-off: 0ms (expected: positive)");
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessage("invalid maximum back-off: 1s (expected: at least 2s)");
        assertThatThrownBy(() -> Backoff.DEFAULT.delay(0))
                .hasMessage("invalid failures: 0 (expected: 1 or more)");
    }
}
