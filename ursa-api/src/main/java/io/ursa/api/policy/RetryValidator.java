package io.ursa.api.policy;

import io.ursa.api.policy.RetrySpec.BackOff;
import io.ursa.api.policy.RetrySpec.Conf;
import io.ursa.api.policy.RetrySpec.GrpcRetryOn;
import io.ursa.api.policy.RetrySpec.HttpRetryOn;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Shape validation of Retry, as Kuma 2.0's {@code retry_validator.go}. */
public final class RetryValidator {
    private static final String EMPTY_FIELD = "field cannot be empty";

    private RetryValidator() {
    }

    public static void validate(RetrySpec spec, Violations violations) {
        PolicySelectors.validateServiceToService(spec.sources(), spec.destinations(), violations);
        Path path = Path.of("conf");
        Conf conf = spec.conf();
        if (!PolicyRules.isDefined(path, conf, violations)) {
            return;
        }
        if (conf.http() == null && conf.grpc() == null && conf.tcp() == null) {
            violations.add(path, "missing protocol [grpc|http|tcp] configuration");
            return;
        }
        if (conf.http() != null) {
            validateHttp(path.field("http"), conf.http(), violations);
        }
        if (conf.grpc() != null) {
            validateGrpc(path.field("grpc"), conf.grpc(), violations);
        }
        if (conf.tcp() != null && conf.tcp().maxConnectAttempts() == 0) {
            violations.add(path.field("tcp").field("maxConnectAttempts"), "has to be greater than 0");
        }
    }

    private static void validateHttp(Path path, RetrySpec.Http http, Violations violations) {
        if (http.numRetries() == null && http.perTryTimeout() == null && http.backOff() == null
                && http.retriableStatusCodes().isEmpty() && http.retriableMethods().isEmpty()
                && http.retryOn().isEmpty()) {
            violations.add(path, EMPTY_FIELD);
        }
        PolicyRules.greaterThanZeroWhenDefined(path.field("numRetries"), http.numRetries(), violations);
        PolicyRules.greaterThanZeroWhenDefined(path.field("perTryTimeout"), http.perTryTimeout(), violations);
        validateBackOff(path.field("backOff"), http.backOff(), violations);
        for (int i = 0; i < http.retriableMethods().size(); i++) {
            if (http.retriableMethods().get(i) == HttpMethod.NONE) {
                violations.add(path.field("retriableMethods").index(i), EMPTY_FIELD);
            }
        }
        for (int i = 0; i < http.retryOn().size(); i++) {
            if (http.retryOn().get(i) == HttpRetryOn.retriable_status_codes && http.retriableStatusCodes().isEmpty()) {
                violations.add(path.field("retryOn").index(i),
                        "retriableStatusCodes cannot be empty when this option is specified");
            }
        }
    }

    private static void validateGrpc(Path path, RetrySpec.Grpc grpc, Violations violations) {
        if (grpc.numRetries() == null && grpc.perTryTimeout() == null && grpc.backOff() == null
                && grpc.retryOn().isEmpty()) {
            violations.add(path, EMPTY_FIELD);
        }
        for (String repeated : repeatedValues(grpc.retryOn())) {
            violations.add(path.field("retryOn"), repeated);
        }
        PolicyRules.greaterThanZeroWhenDefined(path.field("numRetries"), grpc.numRetries(), violations);
        PolicyRules.greaterThanZeroWhenDefined(path.field("perTryTimeout"), grpc.perTryTimeout(), violations);
        validateBackOff(path.field("backOff"), grpc.backOff(), violations);
    }

    private static void validateBackOff(Path path, BackOff backOff, Violations violations) {
        if (backOff == null) {
            return;
        }
        if (backOff.baseInterval() == null) {
            violations.add(path.field("baseInterval"), PolicyRules.HAS_TO_BE_DEFINED);
        } else if (backOff.baseInterval().value().isZero()) {
            PolicyRules.greaterThanZero(path.field("baseInterval"), backOff.baseInterval(), violations);
        } else {
            PolicyRules.greaterThanZeroWhenDefined(path.field("maxInterval"), backOff.maxInterval(), violations);
        }
    }

    /** {@code repeated value "cancelled" at indexes [0, 2]}, one message per repeated value, sorted. */
    private static List<String> repeatedValues(List<GrpcRetryOn> values) {
        Map<String, List<Integer>> indexes = new TreeMap<>();
        for (int i = 0; i < values.size(); i++) {
            indexes.computeIfAbsent(values.get(i).name(), k -> new ArrayList<>()).add(i);
        }
        List<String> messages = new ArrayList<>();
        indexes.forEach((value, at) -> {
            if (at.size() > 1) {
                messages.add("repeated value \"" + value + "\" at indexes ["
                        + at.stream().map(String::valueOf).collect(Collectors.joining(", ")) + "]");
            }
        });
        return messages;
    }
}
