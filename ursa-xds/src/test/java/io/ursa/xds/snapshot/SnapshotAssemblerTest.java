package io.ursa.xds.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.SharedResources;
import io.ursa.xds.generator.InboundGenerator;
import io.ursa.xds.generator.OutboundGenerator;
import io.ursa.xds.generator.Profile;
import io.ursa.xds.generator.Profiles;
import io.ursa.xds.generator.TransparentProxyGenerator;
import io.ursa.xds.names.EnvoyNames;
import io.ursa.xds.names.EnvoyNames.IpFamily;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.resources.Versions;
import io.ursa.xds.testing.StrictEnvoyProtos;
import io.ursa.xds.testing.XdsFixtures;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SnapshotAssemblerTest {
    private static final Profile PROFILE =
            Profile.of(new TransparentProxyGenerator(), new InboundGenerator(), new OutboundGenerator());
    private static final String OUTBOUND_V4 = EnvoyNames.outboundPassthrough(IpFamily.IPV4);

    @Test
    void versionsEveryTypeByContentHashNotByCounter() {
        ResourceSet resources = Snapshots.consistent();

        Snapshot snapshot = SnapshotAssembler.strict().assemble(resources);

        Versions versions = Versions.of(resources);
        for (EnvoyType type : EnvoyType.values()) {
            assertThat(snapshot.version(type.typeUrl())).as("version of %s", type).isEqualTo(versions.of(type))
                    .hasSize(64);
        }
        assertThat(snapshot.clusters().resources().keySet()).containsExactly("backend", "static");
        assertThat(snapshot.endpoints().resources().keySet()).containsExactly("backend");
        assertThat(snapshot.listeners().resources().keySet()).containsExactly("http", "tcp");
        assertThat(snapshot.routes().resources().keySet()).containsExactly("backend-route");
    }

    @Test
    void equalContentInAnotherInsertionOrderHasEqualVersions() {
        ResourceSet forward = Snapshots.consistent();
        ResourceSet.Builder reversed = ResourceSet.builder();
        for (EnvoyType type : EnvoyType.values()) {
            List<Message> resources = new ArrayList<>(forward.resources(type));
            Collections.reverse(resources);
            resources.forEach(reversed::add);
        }

        Snapshot a = SnapshotAssembler.strict().assemble(forward);
        Snapshot b = SnapshotAssembler.strict().assemble(reversed.build());

        for (EnvoyType type : EnvoyType.values()) {
            assertThat(b.version(type.typeUrl())).as("version of %s", type).isEqualTo(a.version(type.typeUrl()));
        }
    }

    @Test
    void aChangedFieldChangesOnlyThatTypesVersion() {
        ResourceSet base = Snapshots.consistent();
        Cluster backend = base.get(Cluster.class, "backend").orElseThrow();
        ResourceSet changed = Snapshots.replace(base, backend.toBuilder().setAltStatName("other").build());

        Snapshot a = SnapshotAssembler.strict().assemble(base);
        Snapshot b = SnapshotAssembler.strict().assemble(changed);

        assertThat(b.version(EnvoyType.CLUSTER.typeUrl())).isNotEqualTo(a.version(EnvoyType.CLUSTER.typeUrl()));
        for (EnvoyType type : Set.of(EnvoyType.CLUSTER_LOAD_ASSIGNMENT, EnvoyType.LISTENER,
                EnvoyType.ROUTE_CONFIGURATION, EnvoyType.SECRET)) {
            assertThat(b.version(type.typeUrl())).as("version of %s", type).isEqualTo(a.version(type.typeUrl()));
        }
    }

    @Test
    void failsNamingAClusterATcpProxyReferencesButTheSetLacks() {
        ResourceSet resources = Snapshots.consistent()
                .merge(ResourceSet.of(Snapshots.tcpListener("orphan", "missing-a", "missing-b")));

        assertThatThrownBy(() -> SnapshotAssembler.strict().assemble(resources, "node default.web-1"))
                .isInstanceOf(InconsistentSnapshotException.class)
                .hasMessageContaining("node default.web-1")
                .hasMessageContaining("listener orphan references missing clusters [missing-a, missing-b]");
    }

    @Test
    void failsNamingAClusterARouteReferencesButTheSetLacks() {
        ResourceSet resources = Snapshots.consistent().merge(ResourceSet.of(
                Snapshots.httpListenerInline("inline", "gone"), Snapshots.routes("other-route", "gone-too")));

        assertThatThrownBy(() -> SnapshotAssembler.strict().assemble(resources))
                .isInstanceOf(InconsistentSnapshotException.class)
                .hasMessageContaining("listener inline references missing cluster [gone]")
                .hasMessageContaining("route configuration other-route references missing cluster [gone-too]");
    }

    @Test
    void aFilterThatRefersToWhatAnotherDoesIsCheckedAgainstTheSetToo() {
        SharedResources shared = new SharedResources();
        Listener original = Snapshots.httpListenerInline("caller", "gone");
        Filter originalFilter = original.getFilterChains(0).getFilters(0);
        Listener withHeader = Snapshots.httpListenerInline("caller", "gone").toBuilder()
                .setFilterChains(0, original.getFilterChains(0).toBuilder().setFilters(0, originalFilter.toBuilder()
                        .setName(originalFilter.getName() + "-with-header")))
                .build();
        SnapshotAssembler.sameReferences(shared, withHeader.getFilterChains(0).getFilters(0), originalFilter);

        assertThatThrownBy(() -> SnapshotAssembler.strict().assemble(
                Snapshots.consistent().merge(ResourceSet.of(withHeader)), "node default.web-1", shared))
                .isInstanceOf(InconsistentSnapshotException.class)
                .hasMessageContaining("listener caller references missing cluster [gone]");
    }

    @Test
    void aContextThatFollowsAnotherChecksReferencesAsAFreshContextDoes() {
        SharedResources earlier = new SharedResources();
        ResourceSet resources = Snapshots.consistent();
        SnapshotAssembler.strict().assemble(resources, "node default.web-1", earlier);
        SharedResources next = new SharedResources();
        next.follow(earlier);

        // an equal set (other instances) in the next context: consistent, its facts found or derived again alike
        ResourceSet again = Snapshots.consistent();
        assertThat(SnapshotAssembler.strict().assemble(again, "node default.web-1", next).version(
                EnvoyType.LISTENER.typeUrl())).isEqualTo(SnapshotAssembler.strict().assemble(again).version(
                EnvoyType.LISTENER.typeUrl()));
        // and one that lost a cluster its listener needs still fails
        ResourceSet broken = Snapshots.consistent().merge(ResourceSet.of(Snapshots.tcpListener("orphan", "gone")));
        assertThatThrownBy(() -> SnapshotAssembler.strict().assemble(broken, "node default.web-1", next))
                .isInstanceOf(InconsistentSnapshotException.class)
                .hasMessageContaining("listener orphan references missing cluster [gone]");
    }

    @Test
    void failsNamingARouteConfigurationAListenerFetchesOverRdsButTheSetLacks() {
        ResourceSet resources = Snapshots.consistent()
                .merge(ResourceSet.of(Snapshots.httpListenerRds("rds", "no-such-route")));

        assertThatThrownBy(() -> SnapshotAssembler.strict().assemble(resources))
                .isInstanceOf(InconsistentSnapshotException.class)
                .hasMessageContaining("listener rds references missing route configuration [no-such-route]");
    }

    @Test
    void failsNamingTheMissingClusterLoadAssignmentOfAnEdsCluster() {
        ResourceSet resources = Snapshots.consistent()
                .merge(ResourceSet.of(Snapshots.edsCluster("web", ""), Snapshots.edsCluster("api", "api-cla")));

        assertThatThrownBy(() -> SnapshotAssembler.strict().assemble(resources))
                .isInstanceOf(InconsistentSnapshotException.class)
                .satisfies(e -> assertThat(((InconsistentSnapshotException) e).problems()).containsExactly(
                        "EDS cluster api has no ClusterLoadAssignment api-cla (expected: one named api-cla)",
                        "EDS cluster web has no ClusterLoadAssignment web (expected: one named web)"));
    }

    @Test
    void failsNamingAClusterLoadAssignmentOfNoEdsClusterBecauseItWouldBlockEds() {
        ResourceSet resources = Snapshots.consistent().merge(ResourceSet.of(Snapshots.cla("stray")));

        assertThatThrownBy(() -> SnapshotAssembler.strict().assemble(resources))
                .isInstanceOf(InconsistentSnapshotException.class)
                .hasMessageContaining("ClusterLoadAssignments [stray] belong to no EDS cluster");
    }

    @Test
    void passesAClusterThatIsAbsentByDesign() {
        ResourceSet resources = Snapshots.consistent().merge(ResourceSet.of(Snapshots.tcpListener("catch-all",
                "outbound:passthrough:ipv4")));

        assertThatThrownBy(() -> SnapshotAssembler.strict().assemble(resources))
                .hasMessageContaining("[outbound:passthrough:ipv4]");
        Snapshot snapshot = SnapshotAssembler.allowingAbsent(Set.of("outbound:passthrough:ipv4")).assemble(resources);
        assertThat(snapshot.listeners().resources()).containsKey("catch-all");
    }

    @Test
    void failsWhenAClusterAbsentByDesignIsPresent() {
        ResourceSet resources = Snapshots.consistent();

        assertThatThrownBy(() -> SnapshotAssembler.allowingAbsent(Set.of("static")).assemble(resources))
                .isInstanceOf(InconsistentSnapshotException.class)
                .hasMessageContaining("clusters [static] exist but are absent by design");
    }

    @Test
    void aWholePassthroughOffProxyAssemblesOnlyWithItsOutboundPassthroughAbsentByDesign() {
        ProxyContext proxy = XdsFixtures.firstProxy(
                XdsFixtures.TESTDATA.resolve("transparent-proxy/passthrough-off.input.yaml"));
        ResourceSet resources = PROFILE.generate(proxy);
        StrictEnvoyProtos.check(resources, Set.of(OUTBOUND_V4));

        assertThat(SnapshotAssembler.forProxy(proxy).absentByDesign())
                .containsExactly(OUTBOUND_V4, EnvoyNames.outboundPassthrough(IpFamily.IPV6));
        Snapshot snapshot = SnapshotAssembler.forProxy(proxy).assemble(resources);
        assertThat(snapshot.listeners().resources()).containsKey(OUTBOUND_V4);
        assertThatThrownBy(() -> SnapshotAssembler.strict().assemble(resources))
                .isInstanceOf(InconsistentSnapshotException.class)
                .hasMessageContaining("listener " + OUTBOUND_V4 + " references missing cluster [" + OUTBOUND_V4 + "]");
    }

    @Test
    void generatedOutboundResourcesWithEdsAreConsistentAndLosingACLAIsNamed() {
        ProxyContext proxy = XdsFixtures.firstProxy(XdsFixtures.TESTDATA.resolve("outbound/split-http.input.yaml"));
        ResourceSet resources = PROFILE.generate(proxy);
        assertThat(resources.resources(ClusterLoadAssignment.class)).as("the fixture has EDS clusters").isNotEmpty();
        SnapshotAssembler.forProxy(proxy).assemble(resources);

        ClusterLoadAssignment dropped = resources.resources(ClusterLoadAssignment.class).get(0);
        ResourceSet.Builder without = ResourceSet.builder();
        for (EnvoyType type : resources.types()) {
            resources.resources(type).stream().filter(r -> r != dropped).forEach(without::add);
        }

        assertThatThrownBy(() -> SnapshotAssembler.forProxy(proxy).assemble(without.build()))
                .isInstanceOf(InconsistentSnapshotException.class)
                .hasMessageContaining("has no ClusterLoadAssignment " + dropped.getClusterName());
    }

    @Test
    void failsNamingTheSdsSecretsThatTlsContextsNameButTheSetLacks() {
        ProxyContext proxy = XdsFixtures.firstProxy(XdsFixtures.TESTDATA.resolve("profile/mtls-strict.input.yaml"));
        ResourceSet resources = Profiles.envoy().generate(proxy);
        SnapshotAssembler.forProxy(proxy).assemble(resources);

        ResourceSet.Builder withoutSecrets = ResourceSet.builder();
        resources.types().stream().filter(type -> type != EnvoyType.SECRET)
                .forEach(type -> resources.resources(type).forEach(withoutSecrets::add));

        assertThatThrownBy(() -> SnapshotAssembler.forProxy(proxy).assemble(withoutSecrets.build(), "default.web-1"))
                .isInstanceOf(InconsistentSnapshotException.class)
                .hasMessageContaining("listener inbound:192.168.0.1:8080 references missing secrets "
                        + "[identity_cert:secret:default, mesh_ca:secret:default]")
                .hasMessageContaining("cluster api references missing secrets "
                        + "[identity_cert:secret:default, mesh_ca:secret:default]");
    }

    @Test
    void refusesAnEmptyAbsentByDesignName() {
        assertThatThrownBy(() -> SnapshotAssembler.allowingAbsent(Set.of("")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid absent-by-design cluster");
    }
}
