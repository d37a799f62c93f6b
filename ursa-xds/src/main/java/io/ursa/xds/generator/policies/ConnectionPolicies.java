package io.ursa.xds.generator.policies;

import static java.util.Objects.requireNonNull;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.gateway.MeshGatewaySpec;
import io.ursa.api.policy.CircuitBreakerSpec;
import io.ursa.api.policy.FaultInjectionSpec;
import io.ursa.api.policy.HealthCheckSpec;
import io.ursa.api.policy.ProxyTemplateSpec;
import io.ursa.api.policy.RateLimitSpec;
import io.ursa.api.policy.RetrySpec;
import io.ursa.api.policy.TimeoutSpec;
import io.ursa.api.policy.TrafficLogSpec;
import io.ursa.api.policy.TrafficPermissionSpec;
import io.ursa.api.policy.TrafficRouteSpec;
import io.ursa.api.policy.TrafficTraceSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Spec;
import io.ursa.api.spec.Selector;
import io.ursa.api.spec.Tags;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.ProxyContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Picks the legacy policies that apply to a proxy the way Kuma 2.0 does ({@code pkg/core/policy}). For the traffic
 * from a proxy to a destination service, one connection policy of each type (TrafficRoute, Timeout, Retry,
 * CircuitBreaker, TrafficLog, HealthCheck; {@code SelectConnectionPolicies}):
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
 * For an inbound, only {@code destinations} are matched, against the inbound's tags (the {@code sources} are
 * enforced by the inbound's own configuration): {@link #matchInbound} picks the one best policy with the same
 * ranks and tie-breaks (TrafficPermission; {@code SelectInboundConnectionPolicy}), {@link #matchAllInbound} keeps
 * every matching policy (FaultInjection, RateLimit; {@code SelectInboundConnectionAllPolicies}). A policy that
 * selects proxies (TrafficTrace, ProxyTemplate; {@code SelectDataplanePolicy}) is picked by its most specific
 * {@code selectors} entry matching the proxy, with the same tie-breaks ({@link #matchDataplane}).
 *
 * <p>Every match comes with the selectors that made it ({@link PolicyMatch}), for inspection. Stateless; all
 * methods are pure functions.
 */
public final class ConnectionPolicies {
    public static final PolicyKind<TrafficRouteSpec> TRAFFIC_ROUTE = new PolicyKind<>(ResourceTypes.TRAFFIC_ROUTE,
            TrafficRouteSpec::sources, TrafficRouteSpec::destinations);
    public static final PolicyKind<TimeoutSpec> TIMEOUT = new PolicyKind<>(ResourceTypes.TIMEOUT,
            TimeoutSpec::sources, TimeoutSpec::destinations);
    public static final PolicyKind<RetrySpec> RETRY = new PolicyKind<>(ResourceTypes.RETRY,
            RetrySpec::sources, RetrySpec::destinations);
    public static final PolicyKind<CircuitBreakerSpec> CIRCUIT_BREAKER = new PolicyKind<>(
            ResourceTypes.CIRCUIT_BREAKER, CircuitBreakerSpec::sources, CircuitBreakerSpec::destinations);
    public static final PolicyKind<TrafficLogSpec> TRAFFIC_LOG = new PolicyKind<>(ResourceTypes.TRAFFIC_LOG,
            TrafficLogSpec::sources, TrafficLogSpec::destinations);
    public static final PolicyKind<HealthCheckSpec> HEALTH_CHECK = new PolicyKind<>(ResourceTypes.HEALTH_CHECK,
            HealthCheckSpec::sources, HealthCheckSpec::destinations);
    public static final PolicyKind<TrafficPermissionSpec> TRAFFIC_PERMISSION = new PolicyKind<>(
            ResourceTypes.TRAFFIC_PERMISSION, TrafficPermissionSpec::sources, TrafficPermissionSpec::destinations);
    public static final PolicyKind<FaultInjectionSpec> FAULT_INJECTION = new PolicyKind<>(
            ResourceTypes.FAULT_INJECTION, FaultInjectionSpec::sources, FaultInjectionSpec::destinations);
    public static final PolicyKind<RateLimitSpec> RATE_LIMIT = new PolicyKind<>(ResourceTypes.RATE_LIMIT,
            RateLimitSpec::sources, RateLimitSpec::destinations);
    public static final PolicyKind<TrafficTraceSpec> TRAFFIC_TRACE = PolicyKind.ofSelectors(
            ResourceTypes.TRAFFIC_TRACE, TrafficTraceSpec::selectors);
    public static final PolicyKind<ProxyTemplateSpec> PROXY_TEMPLATE = PolicyKind.ofSelectors(
            ResourceTypes.PROXY_TEMPLATE, ProxyTemplateSpec::selectors);
    /** The MeshGateway of a builtin gateway Dataplane (Kuma's {@code SelectGateway}). */
    public static final PolicyKind<MeshGatewaySpec> MESH_GATEWAY = PolicyKind.ofSelectors(
            ResourceTypes.MESH_GATEWAY, MeshGatewaySpec::selectors);

    private static final Comparator<Resource<?>> BY_NAME = Comparator.comparing(Resource::name);

    private ConnectionPolicies() {
    }

    /** The TrafficRoute of the traffic from {@code proxy} to {@code service}. */
    public static Optional<Resource<TrafficRouteSpec>> trafficRoute(ProxyContext proxy, String service) {
        return match(TRAFFIC_ROUTE, proxy, service).map(PolicyMatch::policy);
    }

    /** The Timeout of the traffic from {@code proxy} to {@code service}. */
    public static Optional<Resource<TimeoutSpec>> timeout(ProxyContext proxy, String service) {
        return match(TIMEOUT, proxy, service).map(PolicyMatch::policy);
    }

    /** The Retry of the traffic from {@code proxy} to {@code service}. */
    public static Optional<Resource<RetrySpec>> retry(ProxyContext proxy, String service) {
        return match(RETRY, proxy, service).map(PolicyMatch::policy);
    }

    /** The CircuitBreaker of the traffic from {@code proxy} to {@code service}. */
    public static Optional<Resource<CircuitBreakerSpec>> circuitBreaker(ProxyContext proxy, String service) {
        return match(CIRCUIT_BREAKER, proxy, service).map(PolicyMatch::policy);
    }

    /** The TrafficLog of the traffic from {@code proxy} to {@code service}. */
    public static Optional<Resource<TrafficLogSpec>> trafficLog(ProxyContext proxy, String service) {
        return match(TRAFFIC_LOG, proxy, service).map(PolicyMatch::policy);
    }

    /** The TrafficTrace that selects {@code proxy} ({@link #matchDataplane}). */
    public static Optional<Resource<TrafficTraceSpec>> trafficTrace(ProxyContext proxy) {
        return matchDataplane(TRAFFIC_TRACE, proxy).map(PolicyMatch::policy);
    }

    /** The policy of {@code kind} for the traffic from {@code proxy} to {@code service}, with why it won. */
    public static <S extends Spec> Optional<PolicyMatch<S>> match(PolicyKind<S> kind, ProxyContext proxy,
                                                                  String service) {
        return match(proxy.mesh().policies(kind.type()), kind.sources(), kind.destinations(), sourceTagSets(proxy),
                service);
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
        return match(policies, sources, destinations, sourceTagSets, service).map(PolicyMatch::policy);
    }

    private static <S extends Spec> Optional<PolicyMatch<S>> match(
            List<Resource<S>> policies, Function<S, List<Selector>> sources, Function<S, List<Selector>> destinations,
            List<Map<String, String>> sourceTagSets, String service) {
        return match(policies, sources, destinations, sourceTagSets,
                Map.of(Tags.SERVICE, requireNonNull(service, "service")));
    }

    /**
     * The policy of {@code kind} for the traffic a builtin gateway listener with {@code listenerTags} sends to a
     * destination with {@code destinationTags} (Kuma's gateway {@code ConnectionPoliciesBySource} then
     * {@code matchConnectionPolicy}): a source selector must match the listener's tags and a destination selector
     * the destination's tags (every tag of a route backend's {@code destination}, not only its service); ranks and
     * tie-breaks as in the type comment.
     */
    public static <S extends Spec> Optional<PolicyMatch<S>> matchGateway(PolicyKind<S> kind, MeshContext mesh,
                                                                         Map<String, String> listenerTags,
                                                                         Map<String, String> destinationTags) {
        return match(mesh.policies(kind.type()), kind.sources(), kind.destinations(),
                List.of(requireNonNull(listenerTags, "listenerTags")),
                requireNonNull(destinationTags, "destinationTags"));
    }

    private static <S extends Spec> Optional<PolicyMatch<S>> match(
            List<Resource<S>> policies, Function<S, List<Selector>> sources, Function<S, List<Selector>> destinations,
            List<Map<String, String>> sourceTagSets, Map<String, String> destinationTags) {
        requireNonNull(sources, "sources");
        requireNonNull(destinations, "destinations");
        requireNonNull(sourceTagSets, "sourceTagSets");
        PolicyMatch<S> best = null;
        for (Resource<S> policy : byName(policies)) {
            Optional<Selector> source = mostSpecific(sources.apply(policy.spec()), sourceTagSets);
            if (source.isEmpty()) {
                continue;
            }
            for (Selector destination : destinations.apply(policy.spec())) {
                if (TagSelectorRank.matches(destination, destinationTags)) {
                    best = better(best, new PolicyMatch<>(policy, source, Optional.of(destination)));
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The policy of {@code kind} for an inbound with {@code inboundTags}: the one whose matching
     * {@code destinations} selector ranks highest, with the usual tie-breaks; its {@code sources} play no part.
     */
    public static <S extends Spec> Optional<PolicyMatch<S>> matchInbound(PolicyKind<S> kind, ProxyContext proxy,
                                                                         Map<String, String> inboundTags) {
        return matchInbound(kind, proxy.mesh(), inboundTags);
    }

    /** {@link #matchInbound(PolicyKind, ProxyContext, Map)} for a destination of {@code mesh} with these tags. */
    public static <S extends Spec> Optional<PolicyMatch<S>> matchInbound(PolicyKind<S> kind, MeshContext mesh,
                                                                         Map<String, String> inboundTags) {
        requireNonNull(inboundTags, "inboundTags");
        PolicyMatch<S> best = null;
        for (Resource<S> policy : byName(mesh.policies(kind.type()))) {
            for (Selector destination : kind.destinations().apply(policy.spec())) {
                if (TagSelectorRank.matches(destination, inboundTags)) {
                    best = better(best, new PolicyMatch<>(policy, Optional.empty(), Optional.of(destination)));
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Every policy of {@code kind} one of whose {@code destinations} matches an inbound with {@code inboundTags},
     * each with its most specific matching destination, in Kuma's order: the rank of a policy's first
     * {@code sources} selector, highest first, then the policy created later first, then by name. (Kuma lists a
     * policy once per matching destination selector; here it is listed once.)
     */
    public static <S extends Spec> List<PolicyMatch<S>> matchAllInbound(PolicyKind<S> kind, ProxyContext proxy,
                                                                        Map<String, String> inboundTags) {
        return matchAllInbound(kind, proxy.mesh(), inboundTags);
    }

    /** {@link #matchAllInbound(PolicyKind, ProxyContext, Map)} for a destination of {@code mesh} with these tags. */
    public static <S extends Spec> List<PolicyMatch<S>> matchAllInbound(PolicyKind<S> kind, MeshContext mesh,
                                                                        Map<String, String> inboundTags) {
        requireNonNull(inboundTags, "inboundTags");
        List<Resource<S>> policies = mesh.policies(kind.type());
        if (policies.isEmpty()) {
            return List.of(); // the usual case (FaultInjection, RateLimit), asked for every HTTP inbound of every proxy
        }
        List<PolicyMatch<S>> matches = new ArrayList<>();
        for (Resource<S> policy : byName(policies)) {
            mostSpecific(kind.destinations().apply(policy.spec()), List.of(inboundTags)).ifPresent(destination ->
                    matches.add(new PolicyMatch<>(policy, Optional.empty(), Optional.of(destination))));
        }
        Comparator<PolicyMatch<S>> byFirstSource = Comparator.comparing(m -> firstSourceRank(kind, m.policy()));
        Comparator<PolicyMatch<S>> byCreation = Comparator.comparing(m -> m.policy().meta().creationTime());
        matches.sort(byFirstSource.reversed().thenComparing(byCreation.reversed()));
        return List.copyOf(matches);
    }

    /**
     * Every policy of {@code kind} for the traffic from {@code proxy} to a service whose instances have
     * {@code destinationTagSets}: one of its {@code sources} matches the proxy and one of its {@code destinations}
     * matches an instance; in the order of {@link #matchAllInbound}.
     */
    public static <S extends Spec> List<Resource<S>> matchAllOutbound(PolicyKind<S> kind, ProxyContext proxy,
                                                                      List<Map<String, String>> destinationTagSets) {
        requireNonNull(destinationTagSets, "destinationTagSets");
        List<Map<String, String>> sourceTagSets = sourceTagSets(proxy);
        List<PolicyMatch<S>> matches = new ArrayList<>();
        for (Resource<S> policy : byName(proxy.mesh().policies(kind.type()))) {
            Optional<Selector> source = mostSpecific(kind.sources().apply(policy.spec()), sourceTagSets);
            Optional<Selector> destination = mostSpecific(kind.destinations().apply(policy.spec()),
                    destinationTagSets);
            if (source.isPresent() && destination.isPresent()) {
                matches.add(new PolicyMatch<>(policy, source, destination));
            }
        }
        Comparator<PolicyMatch<S>> byFirstSource = Comparator.comparing(m -> firstSourceRank(kind, m.policy()));
        Comparator<PolicyMatch<S>> byCreation = Comparator.comparing(m -> m.policy().meta().creationTime());
        matches.sort(byFirstSource.reversed().thenComparing(byCreation.reversed()));
        return matches.stream().map(PolicyMatch::policy).toList();
    }

    /**
     * The policy of {@code kind} (a policy with {@code selectors}) that selects {@code proxy}: the one whose most
     * specific matching selector ranks highest, with the usual tie-breaks.
     */
    public static <S extends Spec> Optional<PolicyMatch<S>> matchDataplane(PolicyKind<S> kind, ProxyContext proxy) {
        List<Map<String, String>> tagSets = sourceTagSets(proxy);
        PolicyMatch<S> best = null;
        for (Resource<S> policy : byName(proxy.mesh().policies(kind.type()))) {
            Optional<Selector> selector = mostSpecific(kind.sources().apply(policy.spec()), tagSets);
            if (selector.isPresent()) {
                best = better(best, new PolicyMatch<>(policy, selector, Optional.empty()));
            }
        }
        return Optional.ofNullable(best);
    }

    /** The tag sets a proxy is matched by as a source: each inbound's tags, then the gateway's. */
    public static List<Map<String, String>> sourceTagSets(ProxyContext proxy) {
        DataplaneSpec spec = requireNonNull(proxy, "proxy").spec();
        return spec.tagSets();
    }

    /**
     * {@code candidate} when it ranks higher than {@code best}, or the same and was created later; else
     * {@code best}. Candidates come in name order, so on a full tie the first name stays.
     */
    private static <S extends Spec> PolicyMatch<S> better(PolicyMatch<S> best, PolicyMatch<S> candidate) {
        if (best == null) {
            return candidate;
        }
        int comparison = candidate.rank().compareTo(best.rank());
        boolean createdLater = candidate.policy().meta().creationTime()
                .isAfter(best.policy().meta().creationTime());
        return comparison > 0 || (comparison == 0 && createdLater) ? candidate : best;
    }

    /** The first of the highest-ranked {@code selectors} that match one of {@code tagSets}; empty when none does. */
    private static Optional<Selector> mostSpecific(List<Selector> selectors, List<Map<String, String>> tagSets) {
        Selector best = null;
        for (Selector selector : selectors) {
            if (matchesAny(selector, tagSets)
                    && (best == null || TagSelectorRank.of(selector).compareTo(TagSelectorRank.of(best)) > 0)) {
                best = selector;
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean matchesAny(Selector selector, List<Map<String, String>> tagSets) {
        for (Map<String, String> tags : tagSets) {
            if (TagSelectorRank.matches(selector, tags)) {
                return true;
            }
        }
        return false;
    }

    private static <S extends Spec> TagSelectorRank firstSourceRank(PolicyKind<S> kind, Resource<S> policy) {
        List<Selector> sources = kind.sources().apply(policy.spec());
        return sources.isEmpty() ? TagSelectorRank.NONE : TagSelectorRank.of(sources.get(0));
    }

    /**
     * {@code policies} in name order, to be iterated only. A mesh context keeps its policies sorted already, and
     * every outbound of a proxy asks for several types, so a sorted list is returned as it is, without a copy.
     */
    private static <S extends Spec> List<Resource<S>> byName(List<Resource<S>> policies) {
        requireNonNull(policies, "policies");
        for (int i = 1; i < policies.size(); i++) {
            if (BY_NAME.compare(policies.get(i - 1), policies.get(i)) > 0) {
                List<Resource<S>> sorted = new ArrayList<>(policies);
                sorted.sort(BY_NAME);
                return sorted;
            }
        }
        return policies;
    }
}
