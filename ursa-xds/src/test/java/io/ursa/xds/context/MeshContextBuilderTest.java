package io.ursa.xds.context;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.dataplane.DataplaneSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.store.ResourceStore;
import io.ursa.xds.testing.XdsFixtures;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MeshContextBuilderTest {
    private static final String TWO_MESHES = """
            type: Mesh
            name: alpha
            ---
            type: Mesh
            name: beta
            ---
            type: Dataplane
            mesh: alpha
            name: backend-2
            networking:
              address: 10.0.0.2
              inbound:
              - port: 8080
                tags: {kuma.io/service: backend, version: v2}
            ---
            type: Dataplane
            mesh: alpha
            name: backend-1
            networking:
              address: 10.0.0.1
              advertisedAddress: 203.0.113.1
              inbound:
              - port: 8080
                servicePort: 18080
                tags: {kuma.io/service: backend, version: v1}
              - port: 9090
                tags: {kuma.io/service: backend-admin}
                health: {ready: false}
              - port: 49151
                tags: {kuma.io/service: nothing}
            ---
            type: Dataplane
            mesh: beta
            name: backend-1
            networking:
              address: 10.1.0.1
              inbound:
              - port: 7070
                tags: {kuma.io/service: backend}
            ---
            type: TrafficPermission
            mesh: alpha
            name: allow-all-alpha
            sources: [{match: {kuma.io/service: '*'}}]
            destinations: [{match: {kuma.io/service: '*'}}]
            ---
            type: ExternalService
            mesh: beta
            name: httpbin
            networking: {address: httpbin.org:443}
            tags: {kuma.io/service: httpbin}
            """;

    @Test
    void eachMeshHasOnlyItsOwnEndpoints() {
        MeshContextBuilder builder = new MeshContextBuilder(XdsFixtures.store(TWO_MESHES), ResourceTypes.standard());
        MeshContext alpha = builder.build("alpha").orElseThrow();
        MeshContext beta = builder.build("beta").orElseThrow();

        assertThat(alpha.endpoints("backend")).containsExactly(
                new Endpoint("10.0.0.2", 8080, Map.of("kuma.io/service", "backend", "version", "v2"), "backend-2"),
                new Endpoint("203.0.113.1", 8080, Map.of("kuma.io/service", "backend", "version", "v1"),
                        "backend-1"));
        assertThat(beta.endpoints("backend")).containsExactly(
                new Endpoint("10.1.0.1", 7070, Map.of("kuma.io/service", "backend"), "backend-1"));
        assertThat(alpha.hash()).isNotEqualTo(beta.hash());
    }

    @Test
    void applicationEndpointsAreWhereAProxylessClientReachesTheApplicationItself() {
        MeshContext alpha = context(XdsFixtures.store(TWO_MESHES + """
                ---
                type: Dataplane
                mesh: alpha
                name: backend-3
                networking:
                  address: 10.0.0.3
                  advertisedAddress: 203.0.113.3
                  inbound:
                  - port: 8080
                    servicePort: 50051
                    serviceAddress: 10.0.0.33
                    tags: {kuma.io/service: backend, version: v3}
                """), "alpha");

        assertThat(alpha.applicationEndpoints("backend"))
                .extracting(e -> e.dataplane() + "=" + e.address() + ":" + e.port())
                .as("the workload port; serviceAddress when set, else the advertised address")
                .containsExactly("backend-2=10.0.0.2:8080", "backend-3=10.0.0.33:50051",
                        "backend-1=203.0.113.1:18080");
        assertThat(alpha.applicationEndpoints().keySet()).isEqualTo(alpha.endpoints().keySet());
        assertThat(alpha.applicationEndpoints("backend-admin")).isEmpty();
    }

    @Test
    void leavesOutUnreadyServicelessAndUntaggedInbounds() {
        MeshContext alpha = context(XdsFixtures.store(TWO_MESHES), "alpha");

        assertThat(alpha.endpoints().keySet()).containsExactly("backend");
        assertThat(alpha.endpoints("backend-admin")).isEmpty();
    }

    @Test
    void holdsTheMeshDataplanesPoliciesAndExternalServicesOfOneMesh() {
        MeshContext alpha = context(XdsFixtures.store(TWO_MESHES), "alpha");
        MeshContext beta = context(XdsFixtures.store(TWO_MESHES), "beta");

        assertThat(alpha.name()).isEqualTo("alpha");
        assertThat(alpha.dataplanes()).extracting(Resource::name).containsExactly("backend-1", "backend-2");
        assertThat(alpha.policies(ResourceTypes.TRAFFIC_PERMISSION)).extracting(Resource::name)
                .containsExactly("allow-all-alpha");
        assertThat(alpha.externalEndpoints()).isEmpty();
        assertThat(beta.policies(ResourceTypes.TRAFFIC_PERMISSION)).isEmpty();
        assertThat(beta.externalEndpoints().values()).flatExtracting(l -> l).extracting(ExternalEndpoint::name)
                .containsExactly("httpbin");
        assertThat(beta.proxy("backend-1").orElseThrow().spec().networking().address()).isEqualTo("10.1.0.1");
        assertThat(beta.proxy("backend-2")).isEmpty();
    }

    @Test
    void hashDependsOnContentOnly() {
        ResourceStore store = XdsFixtures.store(TWO_MESHES);
        String before = context(store, "alpha").hash();

        assertThat(context(XdsFixtures.store(TWO_MESHES), "alpha").hash()).isEqualTo(before);
        assertThat(before).hasSize(64).matches("[0-9a-f]+");

        // Rewriting a resource with the same spec bumps its store version but not the hash.
        Resource<DataplaneSpec> dataplane = store.get(ResourceTypes.DATAPLANE, "alpha", "backend-2").orElseThrow();
        store.update(dataplane);
        assertThat(context(store, "alpha").hash()).isEqualTo(before);

        // Any content change changes it, and does not touch the other mesh's.
        String betaBefore = context(store, "beta").hash();
        Resource<DataplaneSpec> stored = store.get(ResourceTypes.DATAPLANE, "alpha", "backend-2").orElseThrow();
        DataplaneSpec.Networking n = stored.spec().networking();
        store.update(stored.withSpec(new DataplaneSpec(new DataplaneSpec.Networking("10.0.0.99",
                n.advertisedAddress(), n.gateway(), n.inbound(), n.outbound(), n.transparentProxying(), n.admin()),
                null, null)));
        MeshContext after = context(store, "alpha");
        assertThat(after.hash()).isNotEqualTo(before);
        assertThat(after.endpoints("backend")).extracting(Endpoint::address).contains("10.0.0.99");
        assertThat(context(store, "beta").hash()).isEqualTo(betaBefore);
    }

    @Test
    void isEmptyForAMissingMesh() {
        assertThat(new MeshContextBuilder(XdsFixtures.store(TWO_MESHES), ResourceTypes.standard()).build("gamma"))
                .isEmpty();
    }

    private static MeshContext context(ResourceStore store, String mesh) {
        return new MeshContextBuilder(store, ResourceTypes.standard()).build(mesh).orElseThrow();
    }
}
