package io.ursa.api.policy;

import io.ursa.api.policy.FaultInjectionSpec.Conf;
import io.ursa.api.spec.Protocols;
import io.ursa.api.spec.SelectorValidation;
import io.ursa.api.spec.TagRule;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Shape validation of FaultInjection, as Kuma 2.0's {@code fault_injection_validator.go}: destinations must name
 * an HTTP protocol, and at least one fault must be configured.
 */
public final class FaultInjectionValidator {
    private static final Pattern BANDWIDTH = Pattern.compile("\\d*\\s?[gmk]bps");
    /** The status codes Go's {@code http.StatusText} knows (Go 1.21), which Kuma accepts for aborts. */
    private static final Set<Integer> KNOWN_STATUSES = Set.of(
            100, 101, 102, 103,
            200, 201, 202, 203, 204, 205, 206, 207, 208, 226,
            300, 301, 302, 303, 304, 305, 307, 308,
            400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418,
            421, 422, 423, 424, 425, 426, 428, 429, 431, 451,
            500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511);
    private static final String CANNOT_BE_EMPTY = "cannot be empty";

    private FaultInjectionValidator() {
    }

    public static void validate(FaultInjectionSpec spec, Violations violations) {
        SelectorValidation.validateSelectors(Path.of("sources"), spec.sources(), PolicySelectors.ANY_TAGS,
                violations);
        SelectorValidation.validateSelectors(Path.of("destinations"), spec.destinations(), PolicySelectors.ANY_TAGS,
                List.of(TagRule.protocolIsOneOf(Protocols.HTTP, Protocols.HTTP2, Protocols.GRPC)), violations);
        Path path = Path.of("conf");
        Conf conf = spec.conf() == null ? new Conf(null, null, null) : spec.conf();
        boolean hasDelay = conf.delay() != null && (conf.delay().percentage() != null || conf.delay().value() != null);
        boolean hasAbort = conf.abort() != null
                && (conf.abort().percentage() != null || conf.abort().httpStatus() != null);
        boolean hasBandwidth = conf.responseBandwidth() != null
                && (conf.responseBandwidth().percentage() != null || conf.responseBandwidth().limit() != null);
        if (!hasDelay && !hasAbort && !hasBandwidth) {
            violations.add(path, "must have at least one of the faults configured");
        }
        if (hasDelay) {
            Path delay = path.field("delay");
            validatePercentage(delay, conf.delay().percentage(), violations);
            if (conf.delay().value() == null) {
                violations.add(delay.field("value"), CANNOT_BE_EMPTY);
            }
        }
        if (hasAbort) {
            Path abort = path.field("abort");
            validatePercentage(abort, conf.abort().percentage(), violations);
            Integer status = conf.abort().httpStatus();
            if (status == null) {
                violations.add(abort.field("httpStatus"), CANNOT_BE_EMPTY);
            } else if (!KNOWN_STATUSES.contains(status)) {
                violations.add(abort.field("httpStatus"), "http status code is incorrect");
            }
        }
        if (hasBandwidth) {
            Path bandwidth = path.field("responseBandwidth");
            validatePercentage(bandwidth, conf.responseBandwidth().percentage(), violations);
            String limit = conf.responseBandwidth().limit();
            if (limit == null) {
                violations.add(bandwidth.field("limit"), CANNOT_BE_EMPTY);
            } else if (!BANDWIDTH.matcher(limit).find()) {
                violations.add(bandwidth.field("limit"), "has to be in kbps/mbps/gbps units");
            }
        }
    }

    private static void validatePercentage(Path fault, Double percentage, Violations violations) {
        if (percentage == null) {
            violations.add(fault.field("percentage"), CANNOT_BE_EMPTY);
        } else {
            PolicyRules.percentage(fault.field("percentage"), percentage, violations);
        }
    }
}
