package io.ursa.core.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.validation.Path;
import io.ursa.api.validation.ValidationException;
import io.ursa.api.validation.Violation;
import io.ursa.api.validation.Violations;
import io.ursa.core.ca.CaBackendContext;
import io.ursa.core.ca.CaPlugin;
import io.ursa.core.store.ConflictException;
import io.ursa.core.store.NotFoundException;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResourceManagerTest {
    /** Stands in for a CA type; the real ones are tested in ursa-ca. Refuses conf {bad: true}. */
    private static final CaPlugin FAKE_CA = new CaPlugin() {
        @Override
        public String type() {
            return "builtin";
        }

        @Override
        public void validate(CaBackendContext context, Violations violations) {
            if (context.conf().path("bad").asBoolean()) {
                violations.add(Path.of("bad"), "must not be true");
            }
        }

        @Override
        public Set<String> usedSecrets(CaBackendContext context) {
            return Set.of(context.mesh() + ".ca-builtin-cert-" + context.backendName());
        }
    };

    private final ManagerFixture f = new ManagerFixture(List.of(FAKE_CA));

    @Test
    void newMeshGetsDefaultPoliciesAndSigningKey() {
        f.apply("type: Mesh\nname: demo\n");
        assertThat(f.names(ResourceTypes.TRAFFIC_PERMISSION, "demo")).containsExactly("allow-all-demo");
        assertThat(f.names(ResourceTypes.TRAFFIC_ROUTE, "demo")).containsExactly("route-all-demo");
        assertThat(f.names(ResourceTypes.TIMEOUT, "demo")).containsExactly("timeout-all-demo");
        assertThat(f.names(ResourceTypes.CIRCUIT_BREAKER, "demo")).containsExactly("circuit-breaker-all-demo");
        assertThat(f.names(ResourceTypes.RETRY, "demo")).containsExactly("retry-all-demo");
        assertThat(f.names(ResourceTypes.SECRET, "demo")).containsExactly("dataplane-token-signing-key-demo-1");
        String key = new String(f.manager.get(ResourceTypes.SECRET, "demo", "dataplane-token-signing-key-demo-1")
                .orElseThrow().spec().bytes());
        assertThat(key).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void defaultTimeoutHasKumaValues() {
        f.apply("type: Mesh\nname: demo\n");
        var timeout = f.manager.get(ResourceTypes.TIMEOUT, "demo", "timeout-all-demo").orElseThrow();
        var json = f.codec.toUniversal(timeout);
        assertThat(json.path("conf").path("connectTimeout").asText()).isEqualTo("5s");
        assertThat(json.path("conf").path("http").path("streamIdleTimeout").asText()).isEqualTo("1800s");
    }

    @Test
    void skipCreatingInitialPoliciesSkipsNamedTypesOrAll() {
        f.apply("type: Mesh\nname: some\nskipCreatingInitialPolicies: [TrafficPermission, Retry]\n");
        assertThat(f.names(ResourceTypes.TRAFFIC_PERMISSION, "some")).isEmpty();
        assertThat(f.names(ResourceTypes.RETRY, "some")).isEmpty();
        assertThat(f.names(ResourceTypes.TRAFFIC_ROUTE, "some")).containsExactly("route-all-some");

        f.apply("type: Mesh\nname: none\nskipCreatingInitialPolicies: ['*']\n");
        for (var type : ResourceTypes.standard().policies()) {
            assertThat(f.names(type, "none")).as(type.name()).isEmpty();
        }
        assertThat(f.names(ResourceTypes.SECRET, "none")).containsExactly("dataplane-token-signing-key-none-1");
    }

    @Test
    void defaultsAreNotRecreatedOnUpdate() {
        f.apply("type: Mesh\nname: demo\n");
        f.manager.delete(ResourceTypes.TRAFFIC_PERMISSION, "demo", "allow-all-demo");
        f.apply("type: Mesh\nname: demo\nrouting:\n  localityAwareLoadBalancing: true\n");
        assertThat(f.names(ResourceTypes.TRAFFIC_PERMISSION, "demo")).isEmpty();
    }

    @Test
    void refusesAResourceInAMeshThatDoesNotExist() {
        assertThatThrownBy(() -> f.apply("""
                type: TrafficPermission
                mesh: nowhere
                name: tp
                sources: [{match: {kuma.io/service: '*'}}]
                destinations: [{match: {kuma.io/service: '*'}}]
                """))
                .isInstanceOf(MeshNotFoundException.class)
                .hasMessage("mesh of name nowhere is not found");
        assertThat(f.names(ResourceTypes.TRAFFIC_PERMISSION, "nowhere")).isEmpty();
    }

    @Test
    void deletingAMeshDeletesItsPoliciesAndSecretsOnly() {
        f.apply("type: Mesh\nname: a\n");
        f.apply("type: Mesh\nname: b\n");
        f.apply("type: Secret\nmesh: a\nname: s\ndata: aGVsbG8=\n");
        f.manager.delete(ResourceTypes.MESH, "", "a");
        assertThat(f.manager.get(ResourceTypes.MESH, "", "a")).isEmpty();
        for (var type : ResourceTypes.standard().all()) {
            if (type.isMeshScoped()) {
                assertThat(f.names(type, "a")).as(type.name()).isEmpty();
            }
        }
        assertThat(f.names(ResourceTypes.TRAFFIC_PERMISSION, "b")).containsExactly("allow-all-b");
    }

    @Test
    void refusesDeletingMeshWithDataplanes() {
        f.apply("type: Mesh\nname: busy\n");
        f.apply(ManagerFixture.dataplane("busy", "dp-1", "backend", ""));
        assertThatThrownBy(() -> f.manager.delete(ResourceTypes.MESH, "", "busy"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations()).containsExactly(
                        new Violation("mesh", "unable to delete mesh, there are still some dataplanes attached")));
        assertThat(f.manager.get(ResourceTypes.MESH, "", "busy")).isPresent();
        assertThat(f.names(ResourceTypes.TRAFFIC_PERMISSION, "busy")).containsExactly("allow-all-busy");

        f.manager.delete(ResourceTypes.DATAPLANE, "busy", "dp-1");
        f.manager.delete(ResourceTypes.MESH, "", "busy");
        assertThat(f.manager.get(ResourceTypes.MESH, "", "busy")).isEmpty();
    }

    @Test
    void refusesUnknownCaTypeAndReportsPluginViolationsUnderConf() {
        assertThatThrownBy(() -> f.apply("""
                type: Mesh
                name: m
                mtls:
                  backends:
                    - name: ca-1
                      type: vault
                """)).isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
                .containsExactly(new Violation("mtls.backends[0].type", "could not find installed plugin for this type")));
        assertThatThrownBy(() -> f.apply("""
                type: Mesh
                name: m
                mtls:
                  backends:
                    - name: ca-1
                      type: builtin
                      conf: {bad: true}
                """)).isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
                .containsExactly(new Violation("mtls.backends[0].conf.bad", "must not be true")));
        assertThat(f.manager.get(ResourceTypes.MESH, "", "m")).isEmpty();
    }

    @Test
    void refusesChangingTheEnabledCaWhileMtlsIsOn() {
        f.apply("""
                type: Mesh
                name: secure
                mtls:
                  enabledBackend: ca-1
                  backends: [{name: ca-1, type: builtin}]
                """);
        assertThatThrownBy(() -> f.apply("""
                type: Mesh
                name: secure
                mtls:
                  enabledBackend: ca-2
                  backends: [{name: ca-2, type: builtin}]
                """)).isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
                .containsExactly(new Violation("mtls.enabledBackend",
                        "Changing CA when mTLS is enabled is forbidden. Disable mTLS first and then change the CA")));
        // turning mTLS off, then on with another backend, is allowed
        f.apply("type: Mesh\nname: secure\nmtls:\n  backends: [{name: ca-2, type: builtin}]\n");
        f.apply("type: Mesh\nname: secure\nmtls:\n  enabledBackend: ca-2\n  backends: [{name: ca-2, type: builtin}]\n");
        assertThat(f.manager.get(ResourceTypes.MESH, "", "secure").orElseThrow().spec().mtls().enabledBackend())
                .isEqualTo("ca-2");
    }

    @Test
    void refusesDeletingASecretInUseByAnMtlsBackend() {
        f.apply("type: Mesh\nname: m\nmtls:\n  backends: [{name: ca-1, type: builtin}]\n");
        f.apply("type: Secret\nmesh: m\nname: m.ca-builtin-cert-ca-1\ndata: aGVsbG8=\n");
        assertThatThrownBy(() -> f.manager.delete(ResourceTypes.SECRET, "m", "m.ca-builtin-cert-ca-1"))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations().get(0).message())
                        .startsWith("The secret \"m.ca-builtin-cert-ca-1\" that you are trying to remove is currently"
                                + " in use in Mesh \"m\" in mTLS backend \"ca-1\""));
        assertThat(f.names(ResourceTypes.SECRET, "m")).contains("m.ca-builtin-cert-ca-1");
    }

    @Test
    void enforcesMeshConstraintsOnDataplanes() {
        f.apply("""
                type: Mesh
                name: strict
                constraints:
                  dataplaneProxy:
                    requirements:
                      - tags: {team: '*'}
                    restrictions:
                      - tags: {kuma.io/service: forbidden}
                """);
        assertThatThrownBy(() -> f.apply(ManagerFixture.dataplane("strict", "dp-1", "backend", "")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
                        .extracting(Violation::field).containsExactly("networking.inbound[0].tags"));
        assertThatThrownBy(() -> f.apply(ManagerFixture.dataplane("strict", "dp-2", "forbidden", "        team: a")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations().get(0).message())
                        .contains("restrictions[0]"));
        f.apply(ManagerFixture.dataplane("strict", "dp-3", "backend", "        team: a"));
        assertThat(f.names(ResourceTypes.DATAPLANE, "strict")).containsExactly("dp-3");
    }

    @Test
    void upsertCreatesThenReplacesAndHonoursExpectedVersion() {
        f.apply("type: Mesh\nname: demo\n");
        Resource<?> created = f.manager.get(ResourceTypes.MESH, "", "demo").orElseThrow();
        var spec = f.codec.decodeSpec(ResourceTypes.MESH,
                f.codec.parseJson("{\"routing\":{\"zoneEgress\":false,\"localityAwareLoadBalancing\":true}}"),
                Path.root());
        var updated = f.manager.upsert(ResourceTypes.MESH, "", "demo", spec, OptionalLong.of(created.meta().version()));
        assertThat(updated.outcome()).isEqualTo(UpsertResult.Outcome.UPDATED);
        assertThat(updated.resource().meta().version()).isEqualTo(created.meta().version() + 1);
        assertThat(updated.resource().meta().creationTime()).isEqualTo(created.meta().creationTime());

        assertThatThrownBy(() -> f.manager.upsert(ResourceTypes.MESH, "", "demo", spec,
                OptionalLong.of(created.meta().version()))).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> f.manager.upsert(ResourceTypes.MESH, "", "ghost", spec, OptionalLong.of(1)))
                .isInstanceOf(NotFoundException.class);
        assertThat(f.manager.get(ResourceTypes.MESH, "", "ghost")).isEmpty();
    }

    @Test
    void writingTheStoredSpecAgainIsUnchangedAndWritesNothing() {
        f.apply("type: Mesh\nname: demo\n");
        Resource<?> created = f.manager.get(ResourceTypes.MESH, "", "demo").orElseThrow();
        // defaults make this the stored spec: compared after defaults, not as written
        var spec = f.codec.decodeSpec(ResourceTypes.MESH, f.codec.parseJson("{}"), Path.root());

        assertThat(f.manager.checkUpsert(ResourceTypes.MESH, "", "demo", spec, OptionalLong.empty()))
                .isEqualTo(UpsertResult.Outcome.UNCHANGED);
        var again = f.manager.upsert(ResourceTypes.MESH, "", "demo", spec,
                OptionalLong.of(created.meta().version()));

        assertThat(again.outcome()).isEqualTo(UpsertResult.Outcome.UNCHANGED);
        assertThat(again.resource()).isEqualTo(created);
        assertThat(f.manager.get(ResourceTypes.MESH, "", "demo").orElseThrow().meta())
                .as("no version bump, no new modification time").isEqualTo(created.meta());
        assertThatThrownBy(() -> f.manager.upsert(ResourceTypes.MESH, "", "demo", spec,
                OptionalLong.of(created.meta().version() + 1))).as("a stale version is still a conflict")
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void collectsNameAndSpecViolationsTogether() {
        assertThatThrownBy(() -> f.apply("""
                type: Mesh
                name: Bad.Name
                mtls:
                  enabledBackend: missing
                """)).isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.violations())
                .extracting(Violation::field).containsExactly("name", "mtls.enabledBackend"));
    }
}
