package io.ursa.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.store.ResourceStore;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.context.MeshContextBuilder;
import io.ursa.xds.context.ProxyContext;
import io.ursa.xds.context.ProxyMetadata;
import io.ursa.xds.generator.template.ProxyTemplates;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.resources.ResourceSet;
import io.ursa.xds.snapshot.ProxySnapshots;
import io.ursa.xds.testing.XdsFixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * After a narrow change, a proxy it reaches gets back the very clusters and endpoints it had wherever their content
 * is the same, and its snapshot keeps every type whose content is the same as it was (its version and its
 * instances) without serializing and hashing it again: only what changed is hashed and sent.
 */
class KeptAcrossNarrowChangesTest {
    private static final String MESH = XdsFixtures.SHOP_ROUTING_ALL + """
            type: Dataplane
            mesh: shop
            name: web-1
            networking:
              address: 10.0.0.1
              inbound: [{port: 8080, tags: {kuma.io/service: web, kuma.io/protocol: http, version: v1}}]
              outbound:
              - {port: 20001, tags: {kuma.io/service: backend}}
              - {port: 20002, tags: {kuma.io/service: billing}}
            ---
            type: Dataplane
            mesh: shop
            name: backend-1
            networking:
              address: 10.0.0.4
              inbound: [{port: 8080, tags: {kuma.io/service: backend, kuma.io/protocol: http}}]
            ---
            type: Dataplane
            mesh: shop
            name: billing-1
            networking:
              address: 10.0.0.6
              inbound: [{port: 8080, tags: {kuma.io/service: billing, kuma.io/protocol: http}}]
            """;
    private static final String BACKEND_2 = """
            type: Dataplane
            mesh: shop
            name: backend-2
            networking:
              address: 10.0.0.5
              inbound: [{port: 8080, tags: {kuma.io/service: backend, kuma.io/protocol: http}}]
            """;

    private final ResourceStore store = XdsFixtures.store(MESH);
    private final MeshContextBuilder builder = new MeshContextBuilder(store, ResourceTypes.standard());

    @Test
    void anInstanceThatComesGivesItsCallersNewEndpointsAndTheClustersTheyHad() {
        MeshContext before = build();
        ResourceSet had = generate(before, "web-1");

        write(BACKEND_2);
        MeshContext after = carried(before);
        ResourceSet now = generate(after, "web-1");

        for (EnvoyType type : List.of(EnvoyType.CLUSTER, EnvoyType.CLUSTER_LOAD_ASSIGNMENT)) {
            assertThat(now.byName(type).keySet()).as("%s names", type).isEqualTo(had.byName(type).keySet());
            now.byName(type).forEach((name, resource) -> {
                if (type == EnvoyType.CLUSTER_LOAD_ASSIGNMENT && name.equals("backend")) {
                    assertThat(((ClusterLoadAssignment) resource).getEndpoints(0).getLbEndpointsCount())
                            .as("the endpoints of backend").isEqualTo(2);
                } else {
                    // the cluster of backend too: computed again, as its key names backend, and equal
                    assertThat(resource).as("%s %s", type, name).isSameAs(had.byName(type).get(name));
                }
            });
        }
    }

    @Test
    void theSnapshotOfACallerKeepsEveryTypeButTheEndpointsAsItWas() {
        ProxySnapshots snapshots = new ProxySnapshots();
        MeshContext before = build();
        ProxyContext web = proxy(before, "web-1");
        snapshots.update(web, ProxyTemplates.generate(web));
        Snapshot first = snapshots.snapshot(ProxySnapshots.nodeId(web)).orElseThrow();

        write(BACKEND_2);
        MeshContext after = carried(before);
        ProxyContext webAfter = proxy(after, "web-1");
        assertThat(snapshots.update(webAfter, ProxyTemplates.generate(webAfter))).isTrue();

        Snapshot second = snapshots.snapshot(ProxySnapshots.nodeId(webAfter)).orElseThrow();
        assertThat(second.version(EnvoyType.CLUSTER_LOAD_ASSIGNMENT.typeUrl()))
                .isNotEqualTo(first.version(EnvoyType.CLUSTER_LOAD_ASSIGNMENT.typeUrl()));
        for (EnvoyType type : EnvoyType.values()) {
            if (type == EnvoyType.CLUSTER_LOAD_ASSIGNMENT) {
                continue;
            }
            assertThat(second.version(type.typeUrl())).as("%s", type).isEqualTo(first.version(type.typeUrl()));
            Map<String, ? extends Message> kept = resources(second, type);
            // its own listeners are built again and equal: the snapshot keeps the instances it had
            kept.forEach((name, resource) -> assertThat(resource).as("%s %s", type, name)
                    .isSameAs(resources(first, type).get(name)));
        }
    }

    private static Map<String, ? extends Message> resources(Snapshot snapshot, EnvoyType type) {
        return switch (type) {
            case CLUSTER -> snapshot.clusters().resources();
            case CLUSTER_LOAD_ASSIGNMENT -> snapshot.endpoints().resources();
            case LISTENER -> snapshot.listeners().resources();
            case ROUTE_CONFIGURATION -> snapshot.routes().resources();
            case SECRET -> snapshot.secrets().resources();
        };
    }

    /** The mesh now, with what the narrow change from {@code before} left as it was carried. */
    private MeshContext carried(MeshContext before) {
        MeshContext after = build();
        after.shared().follow(before.shared());
        NarrowChange.between(before, after).orElseThrow().carry(before, after);
        return after;
    }

    private MeshContext build() {
        return builder.build("shop").orElseThrow();
    }

    private static ProxyContext proxy(MeshContext mesh, String name) {
        return mesh.proxy(name).orElseThrow().withMetadata(ProxyMetadata.envoy(9901));
    }

    private static ResourceSet generate(MeshContext mesh, String name) {
        return ProxyTemplates.generate(proxy(mesh, name));
    }

    private void write(String yaml) {
        XdsFixtures.write(store, yaml);
    }
}
