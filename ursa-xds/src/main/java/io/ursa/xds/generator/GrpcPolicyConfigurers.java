package io.ursa.xds.generator;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.ursa.api.policy.CircuitBreakerSpec;
import io.ursa.api.policy.RetrySpec;
import io.ursa.api.policy.TimeoutSpec;
import io.ursa.api.policy.TrafficRouteSpec;
import io.ursa.api.spec.ProtoDuration;
import io.ursa.xds.envoy.Configurer;
import io.ursa.xds.envoy.Protos;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Connection policies in the forms a proxyless gRPC client ({@code io.grpc:grpc-xds}) reads, which are narrower
 * than Envoy's (the Envoy forms are in {@link TimeoutConfigurers}, {@link RetryConfigurers},
 * {@link LoadBalancerConfigurers} and {@link CircuitBreakerConfigurers}). grpc-xds ignores, or rejects, what it
 * does not support, so only the honoured fields are written:
 * <ul>
 *   <li><b>Timeout</b>: grpc-xds ignores the route {@code timeout}; it turns the route's
 *       {@code max_stream_duration.max_stream_duration} into the deadline of every call (the application's own
 *       deadline wins when shorter). Envoy ends a gRPC call at the route timeout ({@code http.requestTimeout}) or
 *       at the cluster's max stream duration ({@code grpc.maxStreamDuration}), whichever comes first, so the
 *       deadline is the shorter of the two that are set and not 0; none means no deadline and no field.</li>
 *   <li><b>Retry</b>: the route's {@code retry_policy} (grpc-xds ignores the virtual host's) from the policy's
 *       {@code grpc} section. {@code retry_on} holds only gRPC status names grpc-xds retries on ({@code cancelled,
 *       deadline-exceeded, internal, resource-exhausted, unavailable}); without {@code retryOn} it is the status
 *       part of Kuma's default, {@value #DEFAULT_RETRY_ON}. {@code num_retries} + 1 is the attempt count (gRPC caps
 *       it at 5); {@code retry_back_off} needs a positive base and a max no smaller than the base, else gRPC
 *       rejects the whole route configuration, so an unusable back-off is left out (gRPC then uses 25ms/250ms).
 *       {@code perTryTimeout} has no gRPC form and is dropped. {@code numRetries: 0} means no retries, and gRPC
 *       refuses a retry policy of one attempt, so there is no policy then.</li>
 *   <li><b>Load balancer</b>: gRPC supports {@code ROUND_ROBIN}, {@code LEAST_REQUEST} with a choice count of at
 *       least 2 and {@code RING_HASH} with xxHash only; {@code random}, {@code maglev}, a choice count of 1 and a
 *       MurmurHash2 ring fall back to round robin rather than having the cluster rejected.</li>
 *   <li><b>CircuitBreaker</b>: of the thresholds, gRPC enforces {@code maxRequests} only; the outlier detection
 *       is Envoy's ({@link CircuitBreakerConfigurers#outlierDetection}), of which gRPC applies the success-rate and
 *       failure-percentage detectors and ignores the consecutive-error ones (gRFC A50).</li>
 * </ul>
 */
final class GrpcPolicyConfigurers {
    static final String DEFAULT_RETRY_ON = "cancelled,resource-exhausted,unavailable";

    private GrpcPolicyConfigurers() {
    }

    /** The route's {@code max_stream_duration.max_stream_duration} (the call deadline); nothing without one. */
    static Configurer<RouteAction.Builder> deadline(Optional<TimeoutSpec.Conf> conf) {
        Optional<Duration> deadline = Stream.of(
                        conf.map(TimeoutSpec.Conf::http).map(TimeoutSpec.Http::requestTimeout),
                        conf.map(TimeoutSpec.Conf::grpc).map(TimeoutSpec.Grpc::maxStreamDuration))
                .flatMap(Optional::stream)
                .map(ProtoDuration::value)
                .filter(d -> !d.isZero() && !d.isNegative())
                .min(Duration::compareTo);
        if (deadline.isEmpty()) {
            return action -> { };
        }
        RouteAction.MaxStreamDuration max = RouteAction.MaxStreamDuration.newBuilder()
                .setMaxStreamDuration(Protos.duration(deadline.get()))
                .build();
        return action -> action.setMaxStreamDuration(max);
    }

    /** The route's {@code retry_policy}; nothing without a Retry, without its grpc section, or with 0 retries. */
    static Configurer<RouteAction.Builder> retry(Optional<RetrySpec.Conf> conf) {
        Optional<RetrySpec.Grpc> grpc = conf.map(RetrySpec.Conf::grpc)
                .filter(g -> g.numRetries() == null || g.numRetries() > 0);
        if (grpc.isEmpty()) {
            return action -> { };
        }
        RetryPolicy policy = retryPolicy(grpc.get());
        return action -> action.setRetryPolicy(policy);
    }

    /** The cluster's {@code lb_policy} (and its config) among those gRPC supports. */
    static Configurer<Cluster.Builder> loadBalancer(TrafficRouteSpec.LoadBalancer lb) {
        boolean supported = lb == null || lb.roundRobin() != null
                || (lb.leastRequest() != null && lb.leastRequest().choiceCount() != 1)
                || (lb.ringHash() != null && (lb.ringHash().hashFunction().isEmpty()
                        || lb.ringHash().hashFunction().equalsIgnoreCase("XX_HASH")));
        return LoadBalancerConfigurers.of(supported ? lb : null);
    }

    /** {@code circuit_breakers.thresholds[0].max_requests} when the CircuitBreaker sets it; else nothing. */
    static Configurer<Cluster.Builder> maxRequests(Optional<CircuitBreakerSpec.Conf> conf) {
        Optional<Integer> maxRequests = conf.map(CircuitBreakerSpec.Conf::thresholds)
                .map(CircuitBreakerSpec.Thresholds::maxRequests);
        if (maxRequests.isEmpty()) {
            return cluster -> { };
        }
        CircuitBreakers breakers = CircuitBreakers.newBuilder()
                .addThresholds(CircuitBreakers.Thresholds.newBuilder()
                        .setMaxRequests(UInt32Value.of(maxRequests.get())))
                .build();
        return cluster -> cluster.setCircuitBreakers(breakers);
    }

    private static RetryPolicy retryPolicy(RetrySpec.Grpc grpc) {
        List<String> retryOn = grpc.retryOn().stream().map(on -> on.name().replace('_', '-')).toList();
        RetryPolicy.Builder policy = RetryPolicy.newBuilder()
                .setRetryOn(retryOn.isEmpty() ? DEFAULT_RETRY_ON : String.join(",", retryOn));
        if (grpc.numRetries() != null) {
            policy.setNumRetries(UInt32Value.of(grpc.numRetries()));
        }
        Optional<RetrySpec.BackOff> backOff = Optional.ofNullable(grpc.backOff());
        Optional<Duration> base = backOff.map(RetrySpec.BackOff::baseInterval).map(ProtoDuration::value)
                .filter(d -> !d.isZero() && !d.isNegative());
        if (base.isPresent()) {
            RetryPolicy.RetryBackOff.Builder retryBackOff = RetryPolicy.RetryBackOff.newBuilder()
                    .setBaseInterval(Protos.duration(base.get()));
            backOff.map(RetrySpec.BackOff::maxInterval).map(ProtoDuration::value)
                    .filter(max -> max.compareTo(base.get()) >= 0)
                    .ifPresent(max -> retryBackOff.setMaxInterval(Protos.duration(max)));
            policy.setRetryBackOff(retryBackOff);
        }
        return policy.build();
    }
}
