package io.ursa.xds.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.ursa.api.policy.CircuitBreakerSpec;
import io.ursa.api.policy.RetrySpec;
import io.ursa.api.policy.RetrySpec.GrpcRetryOn;
import io.ursa.api.policy.TimeoutSpec;
import io.ursa.api.policy.TrafficRouteSpec;
import io.ursa.api.spec.ProtoDuration;
import io.ursa.xds.envoy.Configurer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Policies in the forms grpc-xds reads; every shape here is one grpc-xds would otherwise ignore or reject. */
class GrpcPolicyConfigurersTest {

    @Test
    void theDeadlineIsTheShorterOfRequestTimeoutAndMaxStreamDuration() {
        assertThat(deadline(timeout(ProtoDuration.ofSeconds(15), ProtoDuration.ofSeconds(4))).getSeconds())
                .isEqualTo(4);
        assertThat(deadline(timeout(ProtoDuration.ofSeconds(15), ProtoDuration.ofSeconds(0))).getSeconds())
                .isEqualTo(15);
        assertThat(deadline(timeout(null, ProtoDuration.ofMillis(1500))))
                .isEqualTo(com.google.protobuf.Duration.newBuilder().setSeconds(1).setNanos(500_000_000).build());
    }

    @Test
    void noTimeoutMeansNoDeadlineAndTheRouteTimeoutIsNeverWritten() {
        RouteAction.Builder disabled = apply(GrpcPolicyConfigurers.deadline(
                timeout(ProtoDuration.ofSeconds(0), null)), RouteAction.newBuilder());
        RouteAction.Builder none = apply(GrpcPolicyConfigurers.deadline(Optional.empty()), RouteAction.newBuilder());

        assertThat(disabled.hasMaxStreamDuration()).isFalse();
        assertThat(none.hasMaxStreamDuration()).isFalse();
        assertThat(apply(GrpcPolicyConfigurers.deadline(timeout(ProtoDuration.ofSeconds(15), null)),
                RouteAction.newBuilder()).hasTimeout()).isFalse();
    }

    @Test
    void retryOnNamesGrpcStatusCodesAndDefaultsToTheStatusPartOfKumasDefault() {
        assertThat(retry(grpc(List.of(GrpcRetryOn.unavailable, GrpcRetryOn.deadline_exceeded), 3, null))
                .getRetryPolicy().getRetryOn()).isEqualTo("unavailable,deadline-exceeded");
        assertThat(retry(grpc(List.of(), 3, null)).getRetryPolicy().getRetryOn())
                .isEqualTo("cancelled,resource-exhausted,unavailable");
        assertThat(retry(grpc(List.of(), 3, null)).getRetryPolicy().getNumRetries().getValue()).isEqualTo(3);
    }

    @Test
    void zeroRetriesOrNoGrpcSectionMeanNoRetryPolicy() {
        assertThat(retry(grpc(List.of(), 0, null)).hasRetryPolicy()).isFalse();
        assertThat(apply(GrpcPolicyConfigurers.retry(Optional.of(new RetrySpec.Conf(null, null, null))),
                RouteAction.newBuilder()).hasRetryPolicy()).isFalse();
        assertThat(apply(GrpcPolicyConfigurers.retry(Optional.empty()), RouteAction.newBuilder()).hasRetryPolicy())
                .isFalse();
    }

    @Test
    void leavesOutABackOffThatGrpcWouldReject() {
        var maxBelowBase = retry(grpc(List.of(), 2, new RetrySpec.BackOff(ProtoDuration.ofMillis(100),
                ProtoDuration.ofMillis(50)))).getRetryPolicy().getRetryBackOff();
        var zeroBase = retry(grpc(List.of(), 2, new RetrySpec.BackOff(ProtoDuration.ofMillis(0),
                ProtoDuration.ofMillis(50)))).getRetryPolicy();

        assertThat(maxBelowBase.getBaseInterval().getNanos()).isEqualTo(100_000_000);
        assertThat(maxBelowBase.hasMaxInterval()).isFalse();
        assertThat(zeroBase.hasRetryBackOff()).isFalse();
    }

    @Test
    void loadBalancersGrpcDoesNotSupportFallBackToRoundRobin() {
        assertThat(lb(new TrafficRouteSpec.LoadBalancer(null, null, null, new TrafficRouteSpec.Random(), null)))
                .isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
        assertThat(lb(new TrafficRouteSpec.LoadBalancer(null, null, null, null, new TrafficRouteSpec.Maglev())))
                .isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
        assertThat(lb(new TrafficRouteSpec.LoadBalancer(null, null,
                new TrafficRouteSpec.RingHash("MURMUR_HASH_2", 0, 0), null, null)))
                .isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
        assertThat(lb(new TrafficRouteSpec.LoadBalancer(null, new TrafficRouteSpec.LeastRequest(1), null, null,
                null))).isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
        assertThat(lb(new TrafficRouteSpec.LoadBalancer(null, null,
                new TrafficRouteSpec.RingHash("XX_HASH", 0, 0), null, null)))
                .isEqualTo(Cluster.LbPolicy.RING_HASH);
        assertThat(lb(new TrafficRouteSpec.LoadBalancer(null, new TrafficRouteSpec.LeastRequest(3), null, null,
                null))).isEqualTo(Cluster.LbPolicy.LEAST_REQUEST);
    }

    @Test
    void ofTheCircuitBreakerThresholdsOnlyMaxRequestsIsSent() {
        CircuitBreakerSpec.Conf conf = new CircuitBreakerSpec.Conf(null, null, null, false, null,
                new CircuitBreakerSpec.Thresholds(10, 20, 3, 30));
        Cluster.Builder cluster = apply(GrpcPolicyConfigurers.maxRequests(Optional.of(conf)), Cluster.newBuilder());

        assertThat(cluster.getCircuitBreakers().getThresholdsList()).singleElement().satisfies(t -> {
            assertThat(t.getMaxRequests().getValue()).isEqualTo(30);
            assertThat(t.hasMaxConnections()).isFalse();
            assertThat(t.hasMaxRetries()).isFalse();
        });
        assertThat(apply(GrpcPolicyConfigurers.maxRequests(Optional.empty()), Cluster.newBuilder())
                .hasCircuitBreakers()).isFalse();
    }

    private static Optional<TimeoutSpec.Conf> timeout(ProtoDuration requestTimeout, ProtoDuration maxStream) {
        return Optional.of(new TimeoutSpec.Conf(null, null, new TimeoutSpec.Http(requestTimeout, null, null, null),
                new TimeoutSpec.Grpc(null, maxStream)));
    }

    private static com.google.protobuf.Duration deadline(Optional<TimeoutSpec.Conf> conf) {
        return apply(GrpcPolicyConfigurers.deadline(conf), RouteAction.newBuilder()).getMaxStreamDuration()
                .getMaxStreamDuration();
    }

    private static RetrySpec.Grpc grpc(List<GrpcRetryOn> retryOn, Integer numRetries, RetrySpec.BackOff backOff) {
        return new RetrySpec.Grpc(retryOn, numRetries, ProtoDuration.ofSeconds(16), backOff);
    }

    private static RouteAction.Builder retry(RetrySpec.Grpc grpc) {
        return apply(GrpcPolicyConfigurers.retry(Optional.of(new RetrySpec.Conf(null, null, grpc))),
                RouteAction.newBuilder());
    }

    private static Cluster.LbPolicy lb(TrafficRouteSpec.LoadBalancer lb) {
        return apply(GrpcPolicyConfigurers.loadBalancer(lb), Cluster.newBuilder()).getLbPolicy();
    }

    private static <B> B apply(Configurer<B> configurer, B builder) {
        configurer.configure(builder);
        return builder;
    }
}
