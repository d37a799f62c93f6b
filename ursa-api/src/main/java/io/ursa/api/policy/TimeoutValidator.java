package io.ursa.api.policy;

import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;

/**
 * Shape validation of Timeout, as Kuma 2.0's {@code timeout_validator.go}. Note Kuma's quirk, kept: an
 * {@code http} section counts as empty unless {@code requestTimeout} or {@code idleTimeout} is set.
 */
public final class TimeoutValidator {
    private static final String EMPTY_SECTION = "at least one timeout in section has to be defined";

    private TimeoutValidator() {
    }

    public static void validate(TimeoutSpec spec, Violations violations) {
        PolicySelectors.validateServiceToService(spec.sources(), spec.destinations(), violations);
        Path path = Path.of("conf");
        TimeoutSpec.Conf conf = spec.conf();
        if (!PolicyRules.isDefined(path, conf, violations)) {
            return;
        }
        if (conf.tcp() != null) {
            Path tcp = path.field("tcp");
            if (conf.tcp().idleTimeout() == null) {
                violations.add(tcp, EMPTY_SECTION);
            } else {
                PolicyRules.greaterThanZero(tcp.field("idleTimeout"), conf.tcp().idleTimeout(), violations);
            }
        }
        if (conf.http() != null) {
            Path http = path.field("http");
            if (conf.http().requestTimeout() == null && conf.http().idleTimeout() == null) {
                violations.add(http, EMPTY_SECTION);
            } else {
                PolicyRules.greaterThanZeroWhenDefined(http.field("requestTimeout"), conf.http().requestTimeout(),
                        violations);
                PolicyRules.greaterThanZeroWhenDefined(http.field("idleTimeout"), conf.http().idleTimeout(),
                        violations);
            }
        }
        if (conf.grpc() != null) {
            Path grpc = path.field("grpc");
            if (conf.grpc().streamIdleTimeout() == null && conf.grpc().maxStreamDuration() == null) {
                violations.add(grpc, EMPTY_SECTION);
            } else {
                PolicyRules.greaterThanZeroWhenDefined(grpc.field("streamIdleTimeout"),
                        conf.grpc().streamIdleTimeout(), violations);
                PolicyRules.greaterThanZeroWhenDefined(grpc.field("maxStreamDuration"),
                        conf.grpc().maxStreamDuration(), violations);
            }
        }
    }
}
