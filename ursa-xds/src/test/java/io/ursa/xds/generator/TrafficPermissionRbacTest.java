package io.ursa.xds.generator;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.ursa.api.policy.TrafficPermissionSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.testing.XdsFixtures;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Kuma's TrafficPermission → RBAC rules (envoy-config §2.7) and Ursa's {@code kuma.io/mesh} source tag. */
class TrafficPermissionRbacTest {
    @Test
    void aWildcardServiceSourceLetsAnyPeerIn() {
        assertThat(TrafficPermissionRbac.principal("default", Map.of("kuma.io/service", "*")))
                .isEqualTo(Principal.newBuilder().setAny(true).build());
    }

    @Test
    void aServiceSourceIsTheSpiffeIdOfThatServiceInTheProxysMesh() {
        assertThat(TrafficPermissionRbac.principal("default", Map.of("kuma.io/service", "web")))
                .isEqualTo(exact("spiffe://default/web"));
    }

    @Test
    void tagsComeFirstSortedByKeyThenTheServiceAllAnded() {
        Principal principal = TrafficPermissionRbac.principal("default",
                Map.of("version", "v1", "kuma.io/service", "web", "kuma.io/zone", "east", "env", "*"));

        assertThat(principal.getAndIds().getIdsList()).containsExactly(exact("kuma://kuma.io/zone/east"),
                exact("kuma://version/v1"), exact("spiffe://default/web"));
    }

    @Test
    void theMeshTagNamesTheCallersMeshAndIsNeverATagPrincipal() {
        assertThat(TrafficPermissionRbac.principal("default", Map.of("kuma.io/mesh", "other",
                "kuma.io/service", "web"))).isEqualTo(exact("spiffe://other/web"));
        assertThat(TrafficPermissionRbac.principal("default", Map.of("kuma.io/mesh", "other")))
                .isEqualTo(prefix("spiffe://other/"));
        assertThat(TrafficPermissionRbac.principal("default", Map.of("kuma.io/mesh", "other",
                "kuma.io/service", "*", "version", "v2")).getAndIds().getIdsList())
                .containsExactly(exact("kuma://version/v2"), prefix("spiffe://other/"));
    }

    @Test
    void aWildcardMeshMatchesTheServiceOfAnyTrustedMeshByItsTagSan() {
        assertThat(TrafficPermissionRbac.principal("default", Map.of("kuma.io/mesh", "*", "kuma.io/service", "api")))
                .isEqualTo(exact("kuma://kuma.io/service/api"));
        assertThat(TrafficPermissionRbac.principal("default", Map.of("kuma.io/mesh", "*")))
                .isEqualTo(Principal.newBuilder().setAny(true).build());
    }

    @Test
    void theBestPermissionIsTheOnePolicyKeyedByItsNameWithAnyPermissionAndOnePrincipalPerSource() {
        ProxyContext proxy = XdsFixtures.firstProxy(XdsFixtures.TESTDATA.resolve("inbound/rbac-sources.input.yaml"));

        RBAC rules = TrafficPermissionRbac.forInbound(proxy, Map.of("kuma.io/service", "backend"));

        assertThat(rules.getAction()).isEqualTo(RBAC.Action.ALLOW);
        assertThat(rules.getPoliciesMap()).containsOnlyKeys("backend-callers");
        assertThat(rules.getPoliciesOrThrow("backend-callers").getPermissionsList())
                .extracting(p -> p.getAny()).containsExactly(true);
        assertThat(rules.getPoliciesOrThrow("backend-callers").getPrincipalsList()).hasSize(3);
    }

    @Test
    void noPermissionMeansNoPolicyWhichDeniesEverything() {
        assertThat(TrafficPermissionRbac.rules("default", Optional.empty()))
                .isEqualTo(RBAC.newBuilder().setAction(RBAC.Action.ALLOW).build());
        Resource<TrafficPermissionSpec> noSources = Resource.of(ResourceTypes.TRAFFIC_PERMISSION, "default", "empty",
                new TrafficPermissionSpec(List.of(), List.of()));
        assertThat(TrafficPermissionRbac.rules("default", Optional.of(noSources)).getPoliciesMap()).isEmpty();
    }

    private static Principal exact(String name) {
        return authenticated(StringMatcher.newBuilder().setExact(name).build());
    }

    private static Principal prefix(String name) {
        return authenticated(StringMatcher.newBuilder().setPrefix(name).build());
    }

    private static Principal authenticated(StringMatcher matcher) {
        return Principal.newBuilder()
                .setAuthenticated(Principal.Authenticated.newBuilder().setPrincipalName(matcher))
                .build();
    }
}
