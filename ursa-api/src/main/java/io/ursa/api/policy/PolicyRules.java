package io.ursa.api.policy;

import io.ursa.api.spec.ProtoDuration;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;

/** Value checks several legacy policies share, with Kuma's messages. */
final class PolicyRules {
    static final String HAS_TO_BE_DEFINED = "has to be defined";

    private PolicyRules() {
    }

    /** Whether a required section is present; adds "has to be defined" at {@code path} when it is not. */
    static boolean isDefined(Path path, Object section, Violations violations) {
        if (section == null) {
            violations.add(path, HAS_TO_BE_DEFINED);
            return false;
        }
        return true;
    }

    /** A set duration must not be zero. */
    static void greaterThanZero(Path path, ProtoDuration duration, Violations violations) {
        if (duration.value().isZero()) {
            violations.add(path, "has to be greater than 0");
        }
    }

    /** An optional duration, when set, must not be zero. */
    static void greaterThanZeroWhenDefined(Path path, ProtoDuration duration, Violations violations) {
        if (duration != null && duration.value().isZero()) {
            violations.add(path, "has to be greater than 0 when defined");
        }
    }

    /** An optional count ({@code UInt32Value}), when set, must not be zero. */
    static void greaterThanZeroWhenDefined(Path path, Integer value, Violations violations) {
        if (value != null && value == 0) {
            violations.add(path, "has to be greater than 0 when defined");
        }
    }

    /** A percentage; an unset wrapper counts as 0. */
    static void percentage(Path path, Number value, Violations violations) {
        double d = value == null ? 0 : value.doubleValue();
        if (d < 0 || d > 100) {
            violations.add(path, "has to be in [0.0 - 100.0] range");
        }
    }
}
