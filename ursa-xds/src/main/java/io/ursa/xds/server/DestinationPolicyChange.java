package io.ursa.xds.server;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.Spec;
import io.ursa.api.spec.Selector;
import io.ursa.api.spec.Tags;
import io.ursa.xds.generator.policies.ConnectionPolicies;
import io.ursa.xds.generator.policies.PolicyKind;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The services a change of a mesh's policies is confined to, when it is confined to some: every policy that was
 * added, removed or changed is of a kind a sidecar applies only to the traffic it sends to a destination service,
 * and selects its destinations (before and after the change) by concrete {@code kuma.io/service} values.
 *
 * <p>The kinds are those a sidecar picks per outbound service and nowhere else ({@link
 * ConnectionPolicies#match}, whose destination is {@code {kuma.io/service: <service>}}): Timeout and Retry (the
 * outbound's listener and routes), CircuitBreaker and HealthCheck (the clusters of the services it sends to).
 * A destination selector with {@code kuma.io/service: svc} matches no other service, so such a policy, whatever
 * its sources, changes nothing in the traffic to other services: it cannot win or lose a match there. Kinds that
 * apply to a proxy's inbounds (TrafficPermission, FaultInjection, RateLimit), that select whole proxies
 * (TrafficTrace, ProxyTemplate), or that decide where traffic goes (TrafficRoute, whose splits send to other
 * services) are never confined: a change of any of them changes the whole mesh. So does TrafficLog, which also
 * names a mesh-wide logging backend.
 */
final class DestinationPolicyChange {
    /** The kinds a change may be confined to destination services for. */
    static final List<PolicyKind<?>> KINDS = List.of(ConnectionPolicies.TIMEOUT, ConnectionPolicies.RETRY,
            ConnectionPolicies.CIRCUIT_BREAKER, ConnectionPolicies.HEALTH_CHECK);

    private DestinationPolicyChange() {
    }

    /**
     * The destination services whose traffic the change from {@code before} to {@code after} (a mesh's policies
     * by type) may change; empty when the change is not confined to some (an empty set when no policy changed).
     */
    static Optional<Set<String>> services(Map<ResourceType<?>, List<Resource<?>>> before,
                                          Map<ResourceType<?>, List<Resource<?>>> after) {
        Set<ResourceType<?>> types = new LinkedHashSet<>(before.keySet());
        types.addAll(after.keySet());
        Set<String> services = new HashSet<>();
        for (ResourceType<?> type : types) {
            List<Resource<?>> old = before.getOrDefault(type, List.of());
            List<Resource<?>> now = after.getOrDefault(type, List.of());
            if (old.equals(now)) {
                continue;
            }
            Optional<PolicyKind<?>> kind = KINDS.stream().filter(k -> k.type() == type).findFirst();
            if (kind.isEmpty() || !addChanged(services, kind.get(), old, now)) {
                return Optional.empty();
            }
        }
        return Optional.of(services);
    }

    /** Adds the services of the policies that differ; false when one of them is not confined to services. */
    private static boolean addChanged(Set<String> services, PolicyKind<?> kind, List<Resource<?>> before,
                                      List<Resource<?>> after) {
        Map<String, Resource<?>> old = new HashMap<>();
        before.forEach(policy -> old.put(policy.name(), policy));
        for (Resource<?> policy : after) {
            Resource<?> previous = old.remove(policy.name());
            if (!Objects.equals(previous, policy)
                    && !(addServices(services, kind, policy) && (previous == null
                    || addServices(services, kind, previous)))) {
                return false;
            }
        }
        for (Resource<?> removed : old.values()) {
            if (!addServices(services, kind, removed)) {
                return false;
            }
        }
        return true;
    }

    /** Adds the services {@code policy}'s destinations select; false when one selects no single service. */
    @SuppressWarnings("unchecked")
    private static <S extends Spec> boolean addServices(Set<String> services, PolicyKind<S> kind,
                                                        Resource<?> policy) {
        for (Selector destination : kind.destinations().apply((S) policy.spec())) {
            String service = destination.match().get(Tags.SERVICE);
            if (service == null || service.isEmpty() || service.equals("*")) {
                return false;
            }
            services.add(service);
        }
        return true;
    }
}
