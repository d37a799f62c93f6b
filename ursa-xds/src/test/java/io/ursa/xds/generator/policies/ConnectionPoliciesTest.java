package io.ursa.xds.generator.policies;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.policy.FaultInjectionSpec;
import io.ursa.api.policy.TimeoutSpec;
import io.ursa.api.policy.TrafficPermissionSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceMeta;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Spec;
import io.ursa.api.spec.Selector;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.testing.XdsFixtures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@SuppressWarnings("unchecked")
class ConnectionPoliciesTest {
    private static final Instant DAY_1 = Instant.parse("2024-01-01T00:00:00Z");
    private static final Instant DAY_2 = Instant.parse("2024-01-02T00:00:00Z");
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

    @Test
    void inboundPolicyIsChosenByDestinationOnlyAndTheNewerWinsATie() {
        Resource<TrafficPermissionSpec> older = created(permission("a-older", "api", "web"), DAY_1);
        Resource<TrafficPermissionSpec> newer = created(permission("b-newer", "*", "web"), DAY_2);
        Resource<TrafficPermissionSpec> wildcard = created(permission("c-wildcard", "web", "*"), DAY_2);
        ProxyContext proxy = proxyWith(older, newer, wildcard);

        PolicyMatch<TrafficPermissionSpec> match = ConnectionPolicies.matchInbound(
                ConnectionPolicies.TRAFFIC_PERMISSION, proxy, WEB_V1.get(0)).orElseThrow();

        assertThat(match.policy().name()).isEqualTo("b-newer");
        assertThat(match.source()).isEmpty();
        assertThat(match.destination()).hasValue(Selector.of(Map.of("kuma.io/service", "web")));
    }

    @Test
    void everyMatchingInboundPolicyIsListedMostSpecificFirstSourceThenNewerFirst() {
        Resource<FaultInjectionSpec> anyOld = created(fault("a-any-old", Map.of("kuma.io/service", "*")), DAY_1);
        Resource<FaultInjectionSpec> anyNew = created(fault("b-any-new", Map.of("kuma.io/service", "*")), DAY_2);
        Resource<FaultInjectionSpec> exact = created(fault("c-exact", Map.of("kuma.io/service", "api")), DAY_1);
        ProxyContext proxy = proxyWith(anyOld, anyNew, exact);

        List<PolicyMatch<FaultInjectionSpec>> matches = ConnectionPolicies.matchAllInbound(
                ConnectionPolicies.FAULT_INJECTION, proxy, WEB_V1.get(0));

        assertThat(matches).extracting(m -> m.policy().name()).containsExactly("c-exact", "b-any-new", "a-any-old");
        assertThat(ConnectionPolicies.matchAllInbound(ConnectionPolicies.FAULT_INJECTION, proxy,
                Map.of("kuma.io/service", "db"))).isEmpty();
    }

    @Test
    void aConnectionMatchRanksBySourceAndDestinationAddedUp() {
        Resource<TimeoutSpec> policy = policy("web-to-backend", Map.of("kuma.io/service", "web", "version", "*"),
                "backend");

        PolicyMatch<TimeoutSpec> match = ConnectionPolicies.match(ConnectionPolicies.TIMEOUT, proxyWith(policy),
                "backend").orElseThrow();

        assertThat(match.source()).hasValue(Selector.of(Map.of("kuma.io/service", "web", "version", "*")));
        assertThat(match.destination()).hasValue(Selector.of(Map.of("kuma.io/service", "backend")));
        assertThat(match.rank()).isEqualTo(new TagSelectorRank(2, 1));
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

    private static <S extends Spec> Resource<S> created(Resource<S> policy, Instant time) {
        return policy.withMeta(policy.meta().withTimes(time, time));
    }

    private static Resource<TrafficPermissionSpec> permission(String name, String source, String destination) {
        return Resource.of(ResourceTypes.TRAFFIC_PERMISSION, "default", name, new TrafficPermissionSpec(
                List.of(Selector.of(Map.of("kuma.io/service", source))),
                List.of(Selector.of(Map.of("kuma.io/service", destination)))));
    }

    private static Resource<FaultInjectionSpec> fault(String name, Map<String, String> source) {
        return Resource.of(ResourceTypes.FAULT_INJECTION, "default", name, new FaultInjectionSpec(
                List.of(Selector.of(source)), List.of(Selector.of(Map.of("kuma.io/service", "web"))), null));
    }

    /** A proxy of service web (version v1) in a mesh that holds {@code policies}. */
    private static ProxyContext proxyWith(Resource<?>... policies) {
        Resource<DataplaneSpec> dataplane = (Resource<DataplaneSpec>) XdsFixtures.parse("""
                type: Dataplane
                mesh: default
                name: web-1
                networking:
                  address: 10.0.0.1
                  inbound:
                  - port: 8080
                    tags: {kuma.io/service: web, version: v1}
                """).get(0);
        Map<ResourceType<?>, List<Resource<?>>> byType = new LinkedHashMap<>();
        for (Resource<?> policy : policies) {
            byType.computeIfAbsent(policy.type(), t -> new ArrayList<>()).add(policy);
        }
        MeshContext mesh = new MeshContext(Resource.of(ResourceTypes.MESH, "", "default", MeshSpec.empty()),
                List.of(dataplane), Map.of(), Map.of(), byType, Map.of(), "test");
        return new ProxyContext(dataplane, mesh);
    }
}
