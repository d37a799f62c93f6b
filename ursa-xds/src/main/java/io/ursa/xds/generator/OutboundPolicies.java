package io.ursa.xds.generator;

import io.ursa.api.policy.CircuitBreakerSpec;
import io.ursa.api.policy.HealthCheckSpec;
import io.ursa.api.policy.RetrySpec;
import io.ursa.api.policy.TimeoutSpec;
import io.ursa.api.policy.TrafficRouteSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.Spec;
import io.ursa.api.spec.Selector;
import io.ursa.xds.context.CarriedKey;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.generator.policies.ConnectionPolicies;
import io.ursa.xds.generator.policies.PolicyKind;
import io.ursa.xds.generator.policies.PolicyMatch;
import io.ursa.xds.generator.policies.TagSelectorRank;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The connection policies of the traffic from a caller to one service that its outbound listener and clusters are
 * built with: TrafficRoute, Timeout, Retry, CircuitBreaker and HealthCheck ({@link ConnectionPolicies}).
 *
 * <p>Which policy wins depends on the caller only through which {@code sources} selectors of the mesh's policies
 * match one of its tag sets (the rank of a selector is its own). So callers with the same {@link Sources} get the
 * same policies for every service, and the match is made once per (sources, service) in a mesh context
 * ({@link io.ursa.xds.context.SharedResources}): the first proxy of a new workload finds the policies of its
 * outbounds matched already when another workload matched by the same selectors was generated.
 */
record OutboundPolicies(Optional<Resource<TrafficRouteSpec>> route, Optional<Resource<TimeoutSpec>> timeout,
                        Optional<Resource<RetrySpec>> retry, Optional<Resource<CircuitBreakerSpec>> circuitBreaker,
                        Optional<Resource<HealthCheckSpec>> healthCheck) {
    private static final List<PolicyKind<?>> KINDS = List.of(ConnectionPolicies.TRAFFIC_ROUTE,
            ConnectionPolicies.TIMEOUT, ConnectionPolicies.RETRY, ConnectionPolicies.CIRCUIT_BREAKER,
            ConnectionPolicies.HEALTH_CHECK);

    /**
     * Which {@code sources} selectors of the mesh context's policies of these kinds match a caller: one bit per
     * selector, in the context's order of kinds, policies and selectors (the same for every proxy of the context).
     */
    record Sources(BitSet matched) {
        Sources {
            matched = (BitSet) matched.clone();
        }

        /** The selectors that match {@code proxy} as a source. */
        static Sources of(ProxyContext proxy) {
            List<Map<String, String>> tagSets = ConnectionPolicies.sourceTagSets(proxy);
            BitSet matched = new BitSet();
            int bit = 0;
            for (PolicyKind<?> kind : KINDS) {
                bit = mark(kind, proxy, tagSets, matched, bit);
            }
            return new Sources(matched);
        }

        private static <S extends Spec> int mark(PolicyKind<S> kind, ProxyContext proxy,
                                                 List<Map<String, String>> tagSets, BitSet matched, int bit) {
            for (Resource<S> policy : proxy.mesh().policies(kind.type())) {
                for (Selector selector : kind.sources().apply(policy.spec())) {
                    for (Map<String, String> tags : tagSets) {
                        if (TagSelectorRank.matches(selector, tags)) {
                            matched.set(bit);
                            break;
                        }
                    }
                    bit++;
                }
            }
            return bit;
        }
    }

    /** What the policies of one outbound are matched from besides the mesh context. */
    private record Key(Sources sources, String service) implements CarriedKey {
        /** The bits of {@link Sources} are positions in the context's policies, which a policy change shifts. */
        @Override
        public boolean affectedBy(Set<String> changedServices, boolean policiesChanged) {
            return policiesChanged || changedServices.contains(service);
        }
    }

    /** The policies of the traffic from {@code proxy}, whose selectors are {@code sources}, to {@code service}. */
    static OutboundPolicies of(ProxyContext proxy, Sources sources, String service) {
        return proxy.mesh().shared().computeIfAbsent(new Key(sources, service), () -> new OutboundPolicies(
                ConnectionPolicies.trafficRoute(proxy, service),
                ConnectionPolicies.timeout(proxy, service),
                ConnectionPolicies.retry(proxy, service),
                ConnectionPolicies.circuitBreaker(proxy, service),
                ConnectionPolicies.match(ConnectionPolicies.HEALTH_CHECK, proxy, service).map(PolicyMatch::policy)));
    }
}
