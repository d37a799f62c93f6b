package io.ursa.xds.generator.policies;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.policy.TimeoutSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceMeta;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.spec.Selector;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectionPoliciesTest {
    private static final List<Map<String, String>> WEB_V1 = List.of(
            Map.of("kuma.io/service", "web", "version", "v1"));

    @Test
    void picksTheOnlyMatchingPolicy() {
        assertThat(select(WEB_V1, "backend", policy("all", "*", "*"))).hasValue("all");
    }

    @Test
    void selectsNothingWhenNoSourceOrNoDestinationMatches() {
        assertThat(select(WEB_V1, "backend", policy("other-source", "api", "*"))).isEmpty();
        assertThat(select(WEB_V1, "backend", policy("other-destination", "*", "db"))).isEmpty();
        assertThat(select(List.of(), "backend", policy("no-inbounds", "*", "*"))).isEmpty();
    }

    @Test
    void exactDestinationBeatsWildcard() {
        assertThat(select(WEB_V1, "backend", policy("a-wildcard", "*", "*"), policy("z-exact", "*", "backend")))
                .hasValue("z-exact");
    }

    @Test
    void moreTagsBeatFewerEvenWhenTheyAreWildcards() {
        // {service: web} = 1 exact; {service: *, version: *} = 2 tags in total, which Kuma ranks higher.
        Resource<TimeoutSpec> oneExact = policy("a-one-exact", Map.of("kuma.io/service", "web"), "*");
        Resource<TimeoutSpec> twoWildcards = policy("z-two-wildcards",
                Map.of("kuma.io/service", "*", "version", "*"), "*");

        assertThat(select(WEB_V1, "backend", oneExact, twoWildcards)).hasValue("z-two-wildcards");
    }

    @Test
    void sourceAndDestinationRanksAddUp() {
        Resource<TimeoutSpec> exactSource = policy("a", "web", "*");
        Resource<TimeoutSpec> exactDestination = policy("b", "*", "backend");
        Resource<TimeoutSpec> both = policy("c", "web", "backend");

        assertThat(select(WEB_V1, "backend", exactSource, exactDestination, both)).hasValue("c");
    }

    @Test
    void bestMatchingSourceSelectorCounts() {
        Resource<TimeoutSpec> twoSources = policy("a-two-sources", List.of(
                Selector.of(Map.of("kuma.io/service", "*")),
                Selector.of(Map.of("kuma.io/service", "web", "version", "v1"))), "*");
        Resource<TimeoutSpec> exactService = policy("b-exact-service", "web", "*");

        assertThat(select(WEB_V1, "backend", exactService, twoSources)).hasValue("a-two-sources");
    }

    @Test
    void anyInboundOfTheProxyCanMatchTheSource() {
        List<Map<String, String>> twoInbounds = List.of(Map.of("kuma.io/service", "web"),
                Map.of("kuma.io/service", "admin"));

        assertThat(select(twoInbounds, "backend", policy("all", "*", "*"), policy("admin", "admin", "*")))
                .hasValue("admin");
    }

    @Test
    void equalRanksGoToTheFirstNameWhenCreatedAtTheSameTime() {
        assertThat(select(WEB_V1, "backend", policy("b", "web", "*"), policy("a", "*", "backend")))
                .hasValue("a");
    }

    @Test
    void equalRanksGoToThePolicyCreatedLater() {
        Resource<TimeoutSpec> older = created(policy("a", "web", "*"), Instant.parse("2024-01-01T00:00:00Z"));
        Resource<TimeoutSpec> newer = created(policy("b", "*", "backend"), Instant.parse("2024-01-02T00:00:00Z"));

        assertThat(select(WEB_V1, "backend", newer, older)).hasValue("b");
        assertThat(select(WEB_V1, "backend", older, newer)).hasValue("b");
    }

    @Test
    void rankComparesTotalThenExact() {
        assertThat(new TagSelectorRank(0, 2)).isGreaterThan(new TagSelectorRank(1, 0));
        assertThat(new TagSelectorRank(2, 0)).isGreaterThan(new TagSelectorRank(1, 1));
        assertThat(new TagSelectorRank(1, 1).compareTo(new TagSelectorRank(1, 1))).isZero();
    }

    @Test
    void wildcardStillNeedsTheTag() {
        Selector selector = Selector.of(Map.of("kuma.io/service", "*", "version", "*"));

        assertThat(TagSelectorRank.matches(selector, Map.of("kuma.io/service", "web"))).isFalse();
        assertThat(TagSelectorRank.matches(selector, Map.of("kuma.io/service", "web", "version", "v9"))).isTrue();
    }

    @SafeVarargs
    private static Optional<String> select(List<Map<String, String>> sourceTags, String service,
                                           Resource<TimeoutSpec>... policies) {
        return ConnectionPolicies.select(List.of(policies), TimeoutSpec::sources, TimeoutSpec::destinations,
                sourceTags, service).map(Resource::name);
    }

    private static Resource<TimeoutSpec> policy(String name, String source, String destination) {
        return policy(name, Map.of("kuma.io/service", source), destination);
    }

    private static Resource<TimeoutSpec> policy(String name, Map<String, String> source, String destination) {
        return policy(name, List.of(Selector.of(source)), destination);
    }

    private static Resource<TimeoutSpec> policy(String name, List<Selector> sources, String destination) {
        TimeoutSpec spec = new TimeoutSpec(sources,
                List.of(Selector.of(Map.of("kuma.io/service", destination))), null);
        return Resource.of(ResourceTypes.TIMEOUT, "default", name, spec);
    }

    private static Resource<TimeoutSpec> created(Resource<TimeoutSpec> policy, Instant time) {
        return policy.withMeta(policy.meta().withTimes(time, time));
    }
}
