package io.ursa.api.policy;

import io.ursa.api.policy.CircuitBreakerSpec.Conf;
import io.ursa.api.policy.CircuitBreakerSpec.Detectors;
import io.ursa.api.policy.CircuitBreakerSpec.Thresholds;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;

/**
 * Shape validation of CircuitBreaker, as Kuma 2.0's {@code circuit_breaker_validator.go}: at least one detector
 * or threshold, no empty section, percentages in range.
 */
public final class CircuitBreakerValidator {
    private CircuitBreakerValidator() {
    }

    public static void validate(CircuitBreakerSpec spec, Violations violations) {
        PolicySelectors.validateServiceToService(spec.sources(), spec.destinations(), violations);
        Path path = Path.of("conf");
        Conf conf = spec.conf();
        boolean hasDetectors = conf != null && hasAny(conf.detectors());
        boolean hasThresholds = conf != null && hasAny(conf.thresholds());
        if (!hasDetectors && !hasThresholds) {
            violations.add(path, "must have at least one of the detector or threshold configured");
            return;
        }
        if (conf.detectors() != null && !hasDetectors) {
            violations.add(path.field("detectors"), "can't be empty");
        }
        PolicyRules.percentage(path.field("maxEjectionPercent"), conf.maxEjectionPercent(), violations);
        if (conf.detectors() != null && conf.detectors().failure() != null) {
            PolicyRules.percentage(path.field("detectors").field("failure").field("threshold"),
                    conf.detectors().failure().threshold(), violations);
        }
        if (conf.thresholds() != null && !hasThresholds) {
            violations.add(path.field("thresholds"), "can't be empty");
        }
    }

    private static boolean hasAny(Detectors d) {
        return d != null && (d.totalErrors() != null || d.gatewayErrors() != null || d.localErrors() != null
                || d.standardDeviation() != null || d.failure() != null);
    }

    private static boolean hasAny(Thresholds t) {
        return t != null && (t.maxConnections() != null || t.maxPendingRequests() != null
                || t.maxRetries() != null || t.maxRequests() != null);
    }
}
