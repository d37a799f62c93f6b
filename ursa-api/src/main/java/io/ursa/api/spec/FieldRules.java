package io.ursa.api.spec;

import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;

/** Kuma's small shared field checks ({@code ValidatePort}, {@code ValidateDuration}, {@code ValidateThreshold}). */
public final class FieldRules {
    private FieldRules() {
    }

    /** A TCP/UDP port: 1-65535. */
    public static void port(Path path, long port, Violations violations) {
        if (port < 1 || port > 65535) {
            violations.add(path, "port must be in the range [1, 65535]");
        }
    }

    /** A duration that must be set and above zero. */
    public static void positiveDuration(Path path, ProtoDuration duration, Violations violations) {
        if (duration == null || duration.value().isZero()) {
            violations.add(path, "must have a positive value");
        }
    }

    /** An optional duration that, when set, must be above zero. */
    public static void positiveDurationIfSet(Path path, ProtoDuration duration, Violations violations) {
        if (duration != null) {
            positiveDuration(path, duration, violations);
        }
    }

    /** A count that must be above zero. */
    public static void positiveThreshold(Path path, long threshold, Violations violations) {
        if (threshold <= 0) {
            violations.add(path, "must have a positive value");
        }
    }
}
