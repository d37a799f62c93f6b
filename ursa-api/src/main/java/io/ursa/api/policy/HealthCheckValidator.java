package io.ursa.api.policy;

import io.ursa.api.policy.HealthCheckSpec.Conf;
import io.ursa.api.spec.FieldRules;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;

/** Shape validation of HealthCheck, as Kuma 2.0's {@code health_check_validator.go}. */
public final class HealthCheckValidator {
    private HealthCheckValidator() {
    }

    public static void validate(HealthCheckSpec spec, Violations violations) {
        PolicySelectors.validateServiceToService(spec.sources(), spec.destinations(), violations);
        Path path = Path.of("conf");
        Conf conf = spec.conf();
        if (!PolicyRules.isDefined(path, conf, violations)) {
            return;
        }
        FieldRules.positiveDuration(path.field("interval"), conf.interval(), violations);
        FieldRules.positiveDuration(path.field("timeout"), conf.timeout(), violations);
        FieldRules.positiveThreshold(path.field("unhealthyThreshold"), conf.unhealthyThreshold(), violations);
        FieldRules.positiveThreshold(path.field("healthyThreshold"), conf.healthyThreshold(), violations);
        FieldRules.positiveDurationIfSet(path.field("initialJitter"), conf.initialJitter(), violations);
        FieldRules.positiveDurationIfSet(path.field("intervalJitter"), conf.intervalJitter(), violations);
        FieldRules.positiveDurationIfSet(path.field("noTrafficInterval"), conf.noTrafficInterval(), violations);
        double panic = conf.healthyPanicThreshold() == null ? 0 : conf.healthyPanicThreshold();
        if (panic < 0 || panic > 100) {
            violations.add(path.field("healthyPanicThreshold"), "must be in range [0.0 - 100.0]");
        }
        if (conf.http() != null) {
            validateHttp(path.field("http"), conf.http(), violations);
            if (conf.tcp() != null) {
                violations.add(path, "http and tcp cannot be defined at the same time");
            }
        }
    }

    private static void validateHttp(Path path, HealthCheckSpec.Http http, Violations violations) {
        if (http.path().isEmpty()) {
            violations.add(path.field("path"), "has to be defined and cannot be empty");
        }
        for (int i = 0; i < http.expectedStatuses().size(); i++) {
            int status = http.expectedStatuses().get(i);
            if (status < 100 || status >= 600) {
                violations.add(path.field("expectedStatuses").index(i), "must be in range [100, 600)");
            }
        }
        for (int i = 0; i < http.requestHeadersToAdd().size(); i++) {
            Path at = path.field("requestHeadersToAdd").index(i).field("header");
            HealthCheckSpec.HeaderValue header = http.requestHeadersToAdd().get(i).header();
            if (header == null) {
                violations.add(at, PolicyRules.HAS_TO_BE_DEFINED);
            } else if (header.key().isEmpty()) {
                violations.add(at.field("key"), "cannot be empty");
            }
        }
    }
}
