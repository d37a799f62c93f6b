package io.ursa.ctl;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Ages the way kubectl and kumactl print them: {@code 5s}, {@code 3m}, {@code 2h}, {@code 4d}, {@code 1y}.
 * Durations are capped at Go's largest duration (about 292 years), so a zero timestamp shows as {@code 292y},
 * as it does in kumactl.
 */
final class Age {
    private static final Duration GO_MAX = Duration.ofNanos(Long.MAX_VALUE);
    private static final Duration GO_MIN = Duration.ofNanos(Long.MIN_VALUE);

    private Age() {
    }

    static String since(Instant then, Instant now) {
        return format(Duration.between(then, now));
    }

    /** {@code never} when there is no time. */
    static String ago(Optional<Instant> then, Instant now) {
        return then.map(t -> since(t, now)).orElse("never");
    }

    static String format(Duration d) {
        Duration capped = d.compareTo(GO_MAX) > 0 ? GO_MAX : d.compareTo(GO_MIN) < 0 ? GO_MIN : d;
        long seconds = capped.getSeconds();
        if (seconds < 0 && capped.getNano() > 0) {
            seconds++; // truncate toward zero, as Go's int(d.Seconds()) does
        }
        if (seconds < -1) {
            return "never";
        }
        if (seconds < 0) {
            return "0s";
        }
        if (seconds < 60) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return minutes + "m";
        }
        long hours = seconds / 3600;
        if (hours < 24) {
            return hours + "h";
        }
        if (hours < 24 * 365) {
            return hours / 24 + "d";
        }
        return hours / (24 * 365) + "y";
    }
}
