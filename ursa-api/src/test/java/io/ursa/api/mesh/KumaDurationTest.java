package io.ursa.api.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Kuma's duration syntax (§2.11): one integer and one unit, or the literal 0. */
class KumaDurationTest {
    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource({
            "0, PT0S",
            "0s, PT0S",
            "250ms, PT0.25S",
            "1500ms, PT1.5S",
            "30s, PT30S",
            "5m, PT5M",
            "24h, PT24H",
            "1d, PT24H",
            "2w, PT336H",
            "1y, PT8760H",
            "10y, PT87600H",
            "007s, PT7S",
    })
    void parsesValidDurations(String text, Duration expected) {
        assertThat(KumaDuration.parse(text)).contains(expected);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", " ", "1h30m", "1.5h", "2e", "-1s", "+1s", "1 h", " 1h", "1h ", "h", "1",
            "00", "1H", "1D", "1us", "1ns", "1mo", "1d\n", "\n1d", "１d"})
    void rejectsEverythingElse(String text) {
        assertThat(KumaDuration.parse(text)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"99999999999999999999y", "9223372036854775807ms", "9223372036854775807s"})
    void saturatesHugeValues(String text) {
        assertThat(KumaDuration.parse(text)).contains(Duration.ofMillis(Long.MAX_VALUE));
    }
}
