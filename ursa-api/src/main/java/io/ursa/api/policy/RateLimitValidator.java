package io.ursa.api.policy;

import io.ursa.api.policy.RateLimitSpec.Http;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;

/**
 * Shape validation of RateLimit, as Kuma 2.0's {@code rate_limit_validator.go}. Header problems are reported at
 * Kuma's path {@code conf.http.onRateLimit.header["<index>"]}, not at the list index.
 */
public final class RateLimitValidator {
    private RateLimitValidator() {
    }

    public static void validate(RateLimitSpec spec, Violations violations) {
        PolicySelectors.validate(spec.sources(), PolicySelectors.ANY_TAGS,
                spec.destinations(), PolicySelectors.ANY_TAGS, violations);
        Path path = Path.of("conf");
        if (spec.conf() == null) {
            violations.add(path, "must have conf");
        } else if (spec.conf().http() != null) {
            validateHttp(path.field("http"), spec.conf().http(), violations);
        }
    }

    private static void validateHttp(Path path, Http http, Violations violations) {
        if (http.requests() == 0) {
            violations.add(path.field("requests"), "requests must be set");
        }
        if (http.interval() == null) {
            violations.add(path.field("interval"), "interval must be set");
        }
        if (http.onRateLimit() != null) {
            for (int i = 0; i < http.onRateLimit().headers().size(); i++) {
                RateLimitSpec.HeaderValue header = http.onRateLimit().headers().get(i);
                Path at = path.field("onRateLimit").field("header").key(String.valueOf(i));
                if (header.key().isEmpty()) {
                    violations.add(at, "key must be set");
                }
                if (header.value().isEmpty()) {
                    violations.add(at, "value must be set");
                }
            }
        }
    }
}
