package io.ursa.api.policy;

import io.ursa.api.spec.Selector;
import io.ursa.api.spec.SelectorValidation;
import io.ursa.api.spec.SelectorValidation.Option;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.Violations;
import java.util.List;
import java.util.Set;

/** The selector rules the legacy policies share, named after what they require. */
final class PolicySelectors {
    /** At least one selector, each with at least one tag. */
    static final Set<Option> ANY_TAGS = Set.of(Option.REQUIRE_AT_LEAST_ONE_SELECTOR, Option.REQUIRE_AT_LEAST_ONE_TAG);
    /** At least one selector, each with at least one tag, {@code kuma.io/service} among them. */
    static final Set<Option> WITH_SERVICE = Set.of(
            Option.REQUIRE_AT_LEAST_ONE_SELECTOR, Option.REQUIRE_AT_LEAST_ONE_TAG, Option.REQUIRE_SERVICE);
    /** At least one selector, each exactly {@code {kuma.io/service: ...}}. */
    static final Set<Option> SERVICE_ONLY = SelectorValidation.ONLY_SERVICE_TAG_ALLOWED;

    private PolicySelectors() {
    }

    /** {@code sources} and {@code destinations}, in that order. */
    static void validate(List<Selector> sources, Set<Option> sourceRules, List<Selector> destinations,
                         Set<Option> destinationRules, Violations violations) {
        SelectorValidation.validateSelectors(Path.of("sources"), sources, sourceRules, violations);
        SelectorValidation.validateSelectors(Path.of("destinations"), destinations, destinationRules, violations);
    }

    /**
     * The rules of most connection policies (TrafficRoute, Timeout, CircuitBreaker, Retry, HealthCheck,
     * TrafficLog): sources with {@code kuma.io/service}, destinations exactly {@code {kuma.io/service: ...}}.
     */
    static void validateServiceToService(List<Selector> sources, List<Selector> destinations,
                                         Violations violations) {
        validate(sources, WITH_SERVICE, destinations, SERVICE_ONLY, violations);
    }

    /** {@code selectors} of the policies that select proxies rather than connections. */
    static void validateSelectors(List<Selector> selectors, Set<Option> rules, Violations violations) {
        SelectorValidation.validateSelectors(Path.of("selectors"), selectors, rules, violations);
    }
}
