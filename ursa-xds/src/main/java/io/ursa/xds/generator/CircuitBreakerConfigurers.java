package io.ursa.xds.generator;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.ursa.api.policy.CircuitBreakerSpec;
import io.ursa.xds.envoy.Configurer;
import io.ursa.xds.envoy.Protos;
import java.util.Optional;

/**
 * A CircuitBreaker policy on a cluster ({@code kuma-2.0-envoy-config.md} §6.3, Kuma's
 * {@code circuit_breaker_configurer.go} and {@code outlier_detection_configurer.go}).
 */
final class CircuitBreakerConfigurers {
    private static final UInt32Value ENFORCED = UInt32Value.of(100);
    private static final UInt32Value NOT_ENFORCED = UInt32Value.of(0);

    private CircuitBreakerConfigurers() {
    }

    /** {@code circuitBreakers.thresholds[0]} when the policy sets any threshold; else nothing. */
    static Configurer<Cluster.Builder> thresholds(Optional<CircuitBreakerSpec.Conf> conf) {
        Optional<CircuitBreakerSpec.Thresholds> thresholds = conf.map(CircuitBreakerSpec.Conf::thresholds)
                .filter(t -> t.maxConnections() != null || t.maxPendingRequests() != null
                        || t.maxRequests() != null || t.maxRetries() != null);
        if (thresholds.isEmpty()) {
            return cluster -> { };
        }
        CircuitBreakerSpec.Thresholds t = thresholds.get();
        CircuitBreakers.Thresholds.Builder proto = CircuitBreakers.Thresholds.newBuilder();
        if (t.maxConnections() != null) {
            proto.setMaxConnections(UInt32Value.of(t.maxConnections()));
        }
        if (t.maxPendingRequests() != null) {
            proto.setMaxPendingRequests(UInt32Value.of(t.maxPendingRequests()));
        }
        if (t.maxRequests() != null) {
            proto.setMaxRequests(UInt32Value.of(t.maxRequests()));
        }
        if (t.maxRetries() != null) {
            proto.setMaxRetries(UInt32Value.of(t.maxRetries()));
        }
        CircuitBreakers breakers = CircuitBreakers.newBuilder().addThresholds(proto).build();
        return cluster -> cluster.setCircuitBreakers(breakers);
    }

    /**
     * {@code outlierDetection} whenever a CircuitBreaker matches, detectors or not: every detector the policy lacks
     * is written with enforcement 0, so Envoy's defaults (which do eject) are switched off.
     */
    static Configurer<Cluster.Builder> outlierDetection(Optional<CircuitBreakerSpec.Conf> conf) {
        if (conf.isEmpty()) {
            return cluster -> { };
        }
        CircuitBreakerSpec.Conf c = conf.get();
        OutlierDetection.Builder proto = OutlierDetection.newBuilder();
        if (c.interval() != null) {
            proto.setInterval(Protos.duration(c.interval().value()));
        }
        if (c.baseEjectionTime() != null) {
            proto.setBaseEjectionTime(Protos.duration(c.baseEjectionTime().value()));
        }
        if (c.maxEjectionPercent() != null) {
            proto.setMaxEjectionPercent(UInt32Value.of(c.maxEjectionPercent()));
        }
        if (c.splitExternalAndLocalErrors()) {
            proto.setSplitExternalLocalOriginErrors(true);
        }
        CircuitBreakerSpec.Detectors d = c.detectors() == null
                ? new CircuitBreakerSpec.Detectors(null, null, null, null, null) : c.detectors();
        if (d.totalErrors() != null) {
            if (d.totalErrors().consecutive() != null) {
                proto.setConsecutive5Xx(UInt32Value.of(d.totalErrors().consecutive()));
            }
            proto.setEnforcingConsecutive5Xx(ENFORCED);
        } else {
            proto.setEnforcingConsecutive5Xx(NOT_ENFORCED);
        }
        if (d.gatewayErrors() != null) {
            if (d.gatewayErrors().consecutive() != null) {
                proto.setConsecutiveGatewayFailure(UInt32Value.of(d.gatewayErrors().consecutive()));
            }
            proto.setEnforcingConsecutiveGatewayFailure(ENFORCED);
        } else {
            proto.setEnforcingConsecutiveGatewayFailure(NOT_ENFORCED);
        }
        if (d.localErrors() != null) {
            if (d.localErrors().consecutive() != null) {
                proto.setConsecutiveLocalOriginFailure(UInt32Value.of(d.localErrors().consecutive()));
            }
            proto.setEnforcingConsecutiveLocalOriginFailure(ENFORCED);
        } else {
            proto.setEnforcingConsecutiveLocalOriginFailure(NOT_ENFORCED);
        }
        if (d.standardDeviation() != null) {
            CircuitBreakerSpec.StandardDeviation sd = d.standardDeviation();
            if (sd.requestVolume() != null) {
                proto.setSuccessRateRequestVolume(UInt32Value.of(sd.requestVolume()));
            }
            if (sd.minimumHosts() != null) {
                proto.setSuccessRateMinimumHosts(UInt32Value.of(sd.minimumHosts()));
            }
            if (sd.factor() != null) {
                proto.setSuccessRateStdevFactor(UInt32Value.of((int) Math.round(sd.factor() * 1000)));
            }
            proto.setEnforcingSuccessRate(ENFORCED).setEnforcingLocalOriginSuccessRate(ENFORCED);
        } else {
            proto.setEnforcingSuccessRate(NOT_ENFORCED);
        }
        if (d.failure() != null) {
            CircuitBreakerSpec.Failure f = d.failure();
            if (f.requestVolume() != null) {
                proto.setFailurePercentageRequestVolume(UInt32Value.of(f.requestVolume()));
            }
            if (f.minimumHosts() != null) {
                proto.setFailurePercentageMinimumHosts(UInt32Value.of(f.minimumHosts()));
            }
            if (f.threshold() != null) {
                proto.setFailurePercentageThreshold(UInt32Value.of(f.threshold()));
            }
            proto.setEnforcingFailurePercentage(ENFORCED).setEnforcingFailurePercentageLocalOrigin(ENFORCED);
        } else {
            proto.setEnforcingFailurePercentage(NOT_ENFORCED);
        }
        OutlierDetection detection = proto.build();
        return cluster -> cluster.setOutlierDetection(detection);
    }
}
