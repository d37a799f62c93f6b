package io.ursa.api.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.ursa.api.resource.Spec;
import io.ursa.api.spec.Lists;
import io.ursa.api.spec.ProtoDoubleSerializer;
import io.ursa.api.spec.ProtoDuration;
import io.ursa.api.spec.ProtoFields;
import io.ursa.api.spec.Selector;
import java.util.List;

/**
 * Spec of a CircuitBreaker ({@code circuit_breaker.proto}): outlier detection and connection limits towards
 * destinations. Wrapper fields are null when unset and written out, even as 0, when set.
 */
public record CircuitBreakerSpec(List<Selector> sources, List<Selector> destinations, Conf conf) implements Spec {
    public CircuitBreakerSpec {
        sources = Lists.copyOf(sources);
        destinations = Lists.copyOf(destinations);
    }

    public record Conf(
            ProtoDuration interval,
            ProtoDuration baseEjectionTime,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxEjectionPercent,
            boolean splitExternalAndLocalErrors,
            Detectors detectors,
            Thresholds thresholds) {
        public Conf {
            maxEjectionPercent = ProtoFields.unsigned("maxEjectionPercent", maxEjectionPercent);
        }
    }

    public record Detectors(Errors totalErrors, Errors gatewayErrors, Errors localErrors,
                            StandardDeviation standardDeviation, Failure failure) {
    }

    public record Errors(@JsonInclude(JsonInclude.Include.NON_NULL) Integer consecutive) {
        public Errors {
            consecutive = ProtoFields.unsigned("consecutive", consecutive);
        }
    }

    public record StandardDeviation(
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer requestVolume,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer minimumHosts,
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonSerialize(using = ProtoDoubleSerializer.class)
            Double factor) {
        public StandardDeviation {
            requestVolume = ProtoFields.unsigned("requestVolume", requestVolume);
            minimumHosts = ProtoFields.unsigned("minimumHosts", minimumHosts);
        }
    }

    public record Failure(
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer requestVolume,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer minimumHosts,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer threshold) {
        public Failure {
            requestVolume = ProtoFields.unsigned("requestVolume", requestVolume);
            minimumHosts = ProtoFields.unsigned("minimumHosts", minimumHosts);
            threshold = ProtoFields.unsigned("threshold", threshold);
        }
    }

    public record Thresholds(
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxConnections,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxPendingRequests,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxRetries,
            @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxRequests) {
        public Thresholds {
            maxConnections = ProtoFields.unsigned("maxConnections", maxConnections);
            maxPendingRequests = ProtoFields.unsigned("maxPendingRequests", maxPendingRequests);
            maxRetries = ProtoFields.unsigned("maxRetries", maxRetries);
            maxRequests = ProtoFields.unsigned("maxRequests", maxRequests);
        }
    }
}
