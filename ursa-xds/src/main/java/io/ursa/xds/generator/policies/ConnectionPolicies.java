package io.ursa.xds.generator.policies;

import static java.util.Objects.requireNonNull;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.policy.CircuitBreakerSpec;
import io.ursa.api.policy.RetrySpec;
import io.ursa.api.policy.TimeoutSpec;
import io.ursa.api.policy.TrafficLogSpec;
import io.ursa.api.policy.TrafficRouteSpec;
import io.ursa.api.policy.TrafficTraceSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Spec;
import io.ursa.api.spec.Selector;
import io.ursa.api.spec.Tags;
import io.ursa.xds.context.ProxyContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Picks the one connection policy (TrafficRoute, Timeout, Retry, CircuitBreaker, ...) that applies to the traffic
 * from a proxy to a destination service, the way Kuma 2.0 does ({@code pkg/core/policy/connection_matcher.go},
 * {@code SelectConnectionPolicies}):
 * <ol>
 *   <li>A policy is a candidate when one of its {@code sources} matches one of the proxy's tag sets (each inbound's
 *       tags, and the gateway's). Its source rank is that of its most specific matching source selector.</li>
 *   <li>A candidate applies when one of its {@code destinations} matches {@code {kuma.io/service: <service>}}. Its
 *       aggregate rank is the matching destination selector's rank plus its source rank; the best of its matching
 *       destination selectors counts.</li>
 *   <li>The highest aggregate rank wins. A rank is higher when it has more tags in total (exact plus
 *       {@code '*'}), and with the same total when it has more exact values.</li>
 *   <li>On equal ranks the policy created later wins; on equal creation times the one whose name sorts first wins
 *       (Kuma sorts by name and replaces the best only on a strictly later creation time).</li>
 * </ol>
 * Stateless; all methods are pure functions.
 */
public final class ConnectionPolicies {
    private static final Comparator<Resource<?>> BY_NAME = Comparator.comparing(Resource::name);
    /** The destinations of a policy that has none (TrafficTrace), and the service they are matched against. */
    private static final List<Selector> ANY_DESTINATION = List.of(Selector.anyService());
    private static final String ANY_SERVICE = "*";

    private ConnectionPolicies() {
    }

    /** The TrafficRoute of the traffic from {@code proxy} to {@code service}. */
    public static Optional<Resource<TrafficRouteSpec>> trafficRoute(ProxyContext proxy, String service) {
        return select(proxy.mesh().policies(ResourceTypes.TRAFFIC_ROUTE), TrafficRouteSpec::sources,
                TrafficRouteSpec::destinations, sourceTagSets(proxy), service);
    }

    /** The Timeout of the traffic from {@code proxy} to {@code service}. */
    public static Optional<Resource<TimeoutSpec>> timeout(ProxyContext proxy, String service) {
        return select(proxy.mesh().policies(ResourceTypes.TIMEOUT), TimeoutSpec::sources,
                TimeoutSpec::destinations, sourceTagSets(proxy), service);
    }

    /** The Retry of the traffic from {@code proxy} to {@code service}. */
    public static Optional<Resource<RetrySpec>> retry(ProxyContext proxy, String service) {
        return select(proxy.mesh().policies(ResourceTypes.RETRY), RetrySpec::sources,
                RetrySpec::destinations, sourceTagSets(proxy), service);
    }

    /** The CircuitBreaker of the traffic from {@code proxy} to {@code service}. */
    public static Optional<Resource<CircuitBreakerSpec>> circuitBreaker(ProxyContext proxy, String service) {
        return select(proxy.mesh().policies(ResourceTypes.CIRCUIT_BREAKER), CircuitBreakerSpec::sources,
                CircuitBreakerSpec::destinations, sourceTagSets(proxy), service);
    }

    /** The TrafficLog of the traffic from {@code proxy} to {@code service}. */
    public static Optional<Resource<TrafficLogSpec>> trafficLog(ProxyContext proxy, String service) {
        return select(proxy.mesh().policies(ResourceTypes.TRAFFIC_LOG), TrafficLogSpec::sources,
                TrafficLogSpec::destinations, sourceTagSets(proxy), service);
    }

    /**
     * The TrafficTrace that selects {@code proxy}: the one whose most specific matching {@code selectors} entry
     * ranks highest, with the same tie-breaks as a connection policy (Kuma's {@code SelectDataplanePolicy}). A
     * TrafficTrace has no destinations; it is matched as if it had the single destination {@code '*'}, which adds
     * the same rank to every candidate.
     */
    public static Optional<Resource<TrafficTraceSpec>> trafficTrace(ProxyContext proxy) {
        return select(proxy.mesh().policies(ResourceTypes.TRAFFIC_TRACE), TrafficTraceSpec::selectors,
                spec -> ANY_DESTINATION, sourceTagSets(proxy), ANY_SERVICE);
    }

    /**
     * The most specific of {@code policies} for traffic from a proxy with {@code sourceTagSets} to
     * {@code service} (rules in the type comment), or empty when none applies.
     *
     * @param sources the source selectors of a policy's spec
     * @param destinations the destination selectors of a policy's spec
     */
    public static <S extends Spec> Optional<Resource<S>> select(
            List<Resource<S>> policies, Function<S, List<Selector>> sources, Function<S, List<Selector>> destinations,
            List<Map<String, String>> sourceTagSets, String service) {
        requireNonNull(sources, "sources");
        requireNonNull(destinations, "destinations");
        requireNonNull(sourceTagSets, "sourceTagSets");
        Map<String, String> destinationTags = Map.of(Tags.SERVICE, requireNonNull(service, "service"));
        List<Resource<S>> sorted = new ArrayList<>(requireNonNull(policies, "policies"));
        sorted.sort(BY_NAME);

        Resource<S> best = null;
        TagSelectorRank bestRank = TagSelectorRank.NONE;
        for (Resource<S> policy : sorted) {
            Optional<TagSelectorRank> sourceRank = bestRank(sources.apply(policy.spec()), sourceTagSets);
            if (sourceRank.isEmpty()) {
                continue;
            }
            for (Selector destination : destinations.apply(policy.spec())) {
                if (!TagSelectorRank.matches(destination, destinationTags)) {
                    continue;
                }
                TagSelectorRank rank = TagSelectorRank.of(destination).combinedWith(sourceRank.get());
                int comparison = rank.compareTo(bestRank);
                if (best == null || comparison > 0 || (comparison == 0 && createdLater(policy, best))) {
                    best = policy;
                    bestRank = rank;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** The tag sets a proxy is matched by as a source: each inbound's tags, then the gateway's. */
    public static List<Map<String, String>> sourceTagSets(ProxyContext proxy) {
        DataplaneSpec spec = requireNonNull(proxy, "proxy").spec();
        return spec.tagSets();
    }

    /** The rank of the most specific selector that matches one of {@code tagSets}; empty when none does. */
    private static Optional<TagSelectorRank> bestRank(List<Selector> selectors, List<Map<String, String>> tagSets) {
        TagSelectorRank best = null;
        for (Selector selector : selectors) {
            if (tagSets.stream().anyMatch(tags -> TagSelectorRank.matches(selector, tags))) {
                TagSelectorRank rank = TagSelectorRank.of(selector);
                if (best == null || rank.compareTo(best) > 0) {
                    best = rank;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean createdLater(Resource<?> policy, Resource<?> than) {
        return policy.meta().creationTime().isAfter(than.meta().creationTime());
    }
}
