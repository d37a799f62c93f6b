package io.ursa.xds.generator.policies;

import static java.util.Objects.requireNonNull;

import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.Spec;
import io.ursa.api.spec.Selector;
import java.util.List;
import java.util.function.Function;

/**
 * A legacy policy type and where its spec keeps the selectors it is matched by: {@code sources} and
 * {@code destinations} for a connection policy, {@code selectors} (as {@code sources}, with no destinations) for a
 * policy that selects proxies (TrafficTrace, ProxyTemplate).
 */
public record PolicyKind<S extends Spec>(ResourceType<S> type, Function<S, List<Selector>> sources,
                                         Function<S, List<Selector>> destinations) {
    public PolicyKind {
        requireNonNull(type, "type");
        requireNonNull(sources, "sources");
        requireNonNull(destinations, "destinations");
    }

    /** A policy type that selects proxies by its {@code selectors}. */
    static <S extends Spec> PolicyKind<S> ofSelectors(ResourceType<S> type, Function<S, List<Selector>> selectors) {
        return new PolicyKind<>(type, selectors, spec -> List.of());
    }
}
