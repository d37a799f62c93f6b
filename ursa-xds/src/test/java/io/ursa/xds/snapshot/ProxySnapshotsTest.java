package io.ursa.xds.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.resources.Versions;
import io.ursa.xds.testing.XdsFixtures;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProxySnapshotsTest {
    private static final ProxyContext PROXY =
            XdsFixtures.firstProxy(XdsFixtures.TESTDATA.resolve("outbound/split-http.input.yaml"));

    private final ProxySnapshots snapshots = new ProxySnapshots();
    private final String nodeId = ProxySnapshots.nodeId(PROXY);

    @Test
    void keysByMeshDotName() {
        assertThat(nodeId).isEqualTo(PROXY.dataplane().mesh() + "." + PROXY.dataplane().name());
    }

    @Test
    void identicalContentIsNotPushedAgain() {
        assertThat(snapshots.update(PROXY, Snapshots.consistent())).as("first update").isTrue();
        Snapshot first = snapshots.cache().getSnapshot(nodeId);

        assertThat(snapshots.update(PROXY, Snapshots.consistent())).as("equal content, built anew").isFalse();

        assertThat(snapshots.cache().getSnapshot(nodeId)).isSameAs(first);
    }

    @Test
    void changedContentIsPushed() {
        ResourceSet base = Snapshots.consistent();
        snapshots.update(PROXY, base);
        Snapshot first = snapshots.cache().getSnapshot(nodeId);
        Cluster backend = base.get(Cluster.class, "backend").orElseThrow();

        assertThat(snapshots.update(PROXY, Snapshots.replace(base, backend.toBuilder().setAltStatName("b").build())))
                .isTrue();

        Snapshot second = snapshots.cache().getSnapshot(nodeId);
        assertThat(second).isNotSameAs(first);
        assertThat(second.version(EnvoyType.CLUSTER.typeUrl())).isNotEqualTo(first.version(EnvoyType.CLUSTER.typeUrl()));
        assertThat(second.version(EnvoyType.LISTENER.typeUrl())).isEqualTo(first.version(EnvoyType.LISTENER.typeUrl()));
    }

    @Test
    void anEndpointChangeIsPushedWithEveryOtherTypeAsItWas() {
        ResourceSet base = Snapshots.consistent();
        snapshots.update(PROXY, base);
        Snapshot first = snapshots.cache().getSnapshot(nodeId);
        ClusterLoadAssignment moved = base.get(ClusterLoadAssignment.class, "backend").orElseThrow().toBuilder()
                .setEndpoints(0, LocalityLbEndpoints.newBuilder().setPriority(1)).build();
        ResourceSet next = Snapshots.replace(base, moved);

        assertThat(snapshots.update(PROXY, next)).isTrue();

        Snapshot second = snapshots.cache().getSnapshot(nodeId);
        Versions fresh = Versions.of(next);
        for (EnvoyType type : EnvoyType.values()) {
            assertThat(second.version(type.typeUrl())).as("version of %s, as hashing the whole set gives", type)
                    .isEqualTo(fresh.of(type));
        }
        assertThat(second.version(EnvoyType.CLUSTER_LOAD_ASSIGNMENT.typeUrl()))
                .isNotEqualTo(first.version(EnvoyType.CLUSTER_LOAD_ASSIGNMENT.typeUrl()));
        assertThat(second.version(EnvoyType.CLUSTER.typeUrl())).isEqualTo(first.version(EnvoyType.CLUSTER.typeUrl()));
        assertThat(second.endpoints().resources()).containsEntry("backend", moved);
        assertThat(second.clusters().resources()).isEqualTo(base.byName(EnvoyType.CLUSTER));
    }

    @Test
    void anEndpointChangeThatLeavesAnEdsClusterWithoutItsAssignmentStillFails() {
        ResourceSet base = Snapshots.consistent();
        snapshots.update(PROXY, base);
        Snapshot current = snapshots.cache().getSnapshot(nodeId);
        ResourceSet.Builder renamed = ResourceSet.builder();
        for (EnvoyType type : base.types()) {
            base.byName(type).values().forEach(resource -> renamed.add(type == EnvoyType.CLUSTER_LOAD_ASSIGNMENT
                    ? Snapshots.cla("elsewhere") : resource));
        }

        assertThatThrownBy(() -> snapshots.update(PROXY, renamed.build()))
                .isInstanceOf(InconsistentSnapshotException.class)
                .hasMessageContaining("EDS cluster backend has no ClusterLoadAssignment backend")
                .hasMessageContaining("ClusterLoadAssignments [elsewhere] belong to no EDS cluster");
        assertThat(snapshots.cache().getSnapshot(nodeId)).isSameAs(current);
    }

    @Test
    void aChangedClusterIsCheckedAgainEvenWhenTheEndpointsAlsoChange() {
        ResourceSet base = Snapshots.consistent();
        snapshots.update(PROXY, base);
        Cluster backend = base.get(Cluster.class, "backend").orElseThrow();
        ResourceSet next = Snapshots.replace(Snapshots.replace(base, Snapshots.cla("backend").toBuilder()
                        .setEndpoints(0, LocalityLbEndpoints.newBuilder().setPriority(2)).build()),
                backend.toBuilder().setEdsClusterConfig(backend.getEdsClusterConfig().toBuilder()
                        .setServiceName("gone")).build());

        assertThatThrownBy(() -> snapshots.update(PROXY, next))
                .isInstanceOf(InconsistentSnapshotException.class)
                .hasMessageContaining("EDS cluster backend has no ClusterLoadAssignment gone");
    }

    @Test
    void anInconsistentUpdateFailsAndKeepsTheCurrentSnapshot() {
        snapshots.update(PROXY, Snapshots.consistent());
        Snapshot current = snapshots.cache().getSnapshot(nodeId);
        ResourceSet broken = Snapshots.consistent().merge(ResourceSet.of(Snapshots.edsCluster("web", "")));

        assertThatThrownBy(() -> snapshots.update(PROXY, broken))
                .isInstanceOf(InconsistentSnapshotException.class)
                .hasMessageContaining("node " + nodeId)
                .hasMessageContaining("EDS cluster web has no ClusterLoadAssignment web");
        assertThat(snapshots.cache().getSnapshot(nodeId)).isSameAs(current);
    }

    @Test
    void anAdsWatchOpenedBeforeTheFirstUpdateReceivesTheClustersAndEndpoints() throws InterruptedException {
        BlockingQueue<Response> clusters = new LinkedBlockingQueue<>();
        BlockingQueue<Response> endpoints = new LinkedBlockingQueue<>();
        snapshots.cache().createWatch(true, request(EnvoyType.CLUSTER, "", List.of()), Set.of(), clusters::add);
        snapshots.cache().createWatch(true, request(EnvoyType.CLUSTER_LOAD_ASSIGNMENT, "", List.of("backend")),
                Set.of(), endpoints::add);
        assertThat(clusters).as("no snapshot yet").isEmpty();

        snapshots.update(PROXY, Snapshots.consistent());

        Response cds = clusters.poll(10, TimeUnit.SECONDS);
        assertThat(cds).as("CDS response").isNotNull();
        assertThat(cds.resources()).extracting(r -> ((Cluster) r).getName()).containsExactly("backend", "static");
        assertThat(cds.version()).isEqualTo(snapshots.cache().getSnapshot(nodeId).version(EnvoyType.CLUSTER.typeUrl()));
        Response eds = endpoints.poll(10, TimeUnit.SECONDS);
        assertThat(eds).as("EDS response").isNotNull();
        assertThat(eds.resources()).extracting(r -> ((ClusterLoadAssignment) r).getClusterName())
                .containsExactly("backend");
    }

    @Test
    void aWatchAtTheCurrentVersionHearsNothingUntilContentChanges() throws InterruptedException {
        snapshots.update(PROXY, Snapshots.consistent());
        String version = snapshots.cache().getSnapshot(nodeId).version(EnvoyType.CLUSTER.typeUrl());
        BlockingQueue<Response> responses = new LinkedBlockingQueue<>();
        snapshots.cache().createWatch(true, request(EnvoyType.CLUSTER, version, List.of()), Set.of("backend", "static"),
                responses::add);

        snapshots.update(PROXY, Snapshots.consistent());
        assertThat(responses).as("identical content is not pushed").isEmpty();

        snapshots.update(PROXY, Snapshots.consistent().merge(ResourceSet.of(Snapshots.staticCluster("extra"))));
        Response response = responses.poll(10, TimeUnit.SECONDS);
        assertThat(response).as("CDS response after a change").isNotNull();
        assertThat(response.resources()).extracting(r -> ((Cluster) r).getName())
                .containsExactly("backend", "extra", "static");
    }

    @Test
    void simpleCacheInAdsModeStaysSilentForAMissingNameWhichIsWhyTheAssemblerChecks() {
        BlockingQueue<Response> responses = new LinkedBlockingQueue<>();
        snapshots.cache().createWatch(true, request(EnvoyType.CLUSTER_LOAD_ASSIGNMENT, "", List.of("not-there")),
                Set.of(), responses::add);

        snapshots.update(PROXY, Snapshots.consistent());

        assertThat(responses).as("stack-notes P8: no answer, no error").isEmpty();
    }

    @Test
    void removeDropsTheSnapshotSoTheNextUpdatePushesAgain() {
        snapshots.update(PROXY, Snapshots.consistent());

        assertThat(snapshots.remove(nodeId)).isTrue();

        assertThat(snapshots.snapshot(nodeId)).isEmpty();
        assertThat(snapshots.update(PROXY, Snapshots.consistent())).isTrue();
        assertThat(snapshots.snapshot(nodeId)).isPresent();
    }

    @Test
    void removeRefusesWhileTheNodeHasAnOpenWatch() {
        snapshots.update(PROXY, Snapshots.consistent());
        String version = snapshots.cache().getSnapshot(nodeId).version(EnvoyType.CLUSTER.typeUrl());
        Watch watch = snapshots.cache().createWatch(true, request(EnvoyType.CLUSTER, version, List.of()),
                Set.of(), r -> { });

        assertThat(snapshots.remove(nodeId)).as("open watch").isFalse();
        assertThat(snapshots.snapshot(nodeId)).isPresent();

        watch.cancel();
        assertThat(snapshots.remove(nodeId)).as("after the stream's watches are cancelled").isTrue();
    }

    private XdsRequest request(EnvoyType type, String version, List<String> names) {
        return XdsRequest.create(DiscoveryRequest.newBuilder()
                .setNode(Node.newBuilder().setId(nodeId))
                .setTypeUrl(type.typeUrl())
                .setVersionInfo(version)
                .addAllResourceNames(names)
                .build());
    }
}
