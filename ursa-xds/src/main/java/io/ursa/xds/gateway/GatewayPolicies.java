package io.ursa.xds.gateway;

import io.ursa.api.policy.CircuitBreakerSpec;
import io.ursa.api.policy.HealthCheckSpec;
import io.ursa.api.policy.RateLimitSpec;
import io.ursa.api.policy.RetrySpec;
import io.ursa.api.policy.TimeoutSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.Spec;
import io.ursa.api.spec.Selector;
import io.ursa.api.spec.Tags;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.generator.policies.ConnectionPolicies;
import io.ursa.xds.generator.policies.PolicyKind;
import io.ursa.xds.generator.policies.PolicyMatch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The connection policies of the traffic from a gateway listener to one destination (Kuma 2.0's gateway
 * {@code PopulatePolicies} in {@code connection_policy_generator.go}): for each of Timeout, Retry, CircuitBreaker,
 * HealthCheck and RateLimit, the policy whose {@code sources} match the listener's tags and whose
 * {@code destinations} match the destination's tags, best ranked ({@link ConnectionPolicies#matchGateway}).
 * CircuitBreaker, HealthCheck and the Timeout's connect and idle timeouts shape the destination's cluster; Retry,
 * the Timeout's request timeout and RateLimit shape the routes, one policy per route over its backends
 * ({@link #forRoute}).
 */
record GatewayPolicies(Optional<Resource<TimeoutSpec>> timeout, Optional<Resource<RetrySpec>> retry,
                       Optional<Resource<CircuitBreakerSpec>> circuitBreaker,
                       Optional<Resource<HealthCheckSpec>> healthCheck, Optional<Resource<RateLimitSpec>> rateLimit) {

    /** The policies of the traffic from a listener with {@code listenerTags} to {@code destination}. */
    static GatewayPolicies of(MeshContext mesh, Map<String, String> listenerTags, Map<String, String> destination) {
        return new GatewayPolicies(
                pick(ConnectionPolicies.TIMEOUT, mesh, listenerTags, destination),
                pick(ConnectionPolicies.RETRY, mesh, listenerTags, destination),
                pick(ConnectionPolicies.CIRCUIT_BREAKER, mesh, listenerTags, destination),
                pick(ConnectionPolicies.HEALTH_CHECK, mesh, listenerTags, destination),
                pick(ConnectionPolicies.RATE_LIMIT, mesh, listenerTags, destination));
    }

    private static <S extends Spec> Optional<Resource<S>> pick(PolicyKind<S> kind, MeshContext mesh,
                                                               Map<String, String> listenerTags,
                                                               Map<String, String> destination) {
        return ConnectionPolicies.matchGateway(kind, mesh, listenerTags, destination).map(PolicyMatch::policy);
    }

    /** A destination of a route and its policies. */
    record Destination(Map<String, String> tags, GatewayPolicies policies) {
    }

    /**
     * The one policy of a route forwarding to {@code destinations} (Kuma's {@code BestConnectionPolicyForDestination}):
     * among each destination's policy, those with a destination selector for every service ({@code *}) if any,
     * else those naming the destination's service; of these, the oldest.
     */
    static <S extends Spec> Optional<Resource<S>> forRoute(List<Destination> destinations,
                                                           Function<GatewayPolicies, Optional<Resource<S>>> policy,
                                                           PolicyKind<S> kind) {
        Set<String> seen = new HashSet<>();
        List<Resource<S>> anyService = new ArrayList<>();
        List<Resource<S>> byService = new ArrayList<>();
        for (Destination destination : destinations) {
            Optional<Resource<S>> found = policy.apply(destination.policies());
            if (found.isEmpty() || !seen.add(found.get().name())) {
                continue;
            }
            for (Selector selector : kind.destinations().apply(found.get().spec())) {
                String service = selector.match().get(Tags.SERVICE);
                if ("*".equals(service)) {
                    anyService.add(found.get());
                } else if (service != null && service.equals(destination.tags().get(Tags.SERVICE))) {
                    byService.add(found.get());
                }
            }
        }
        List<Resource<S>> candidates = anyService.isEmpty() ? byService : anyService;
        return candidates.stream().min(Comparator.comparing((Resource<S> r) -> r.meta().creationTime())
                .thenComparing(Resource::name));
    }
}
