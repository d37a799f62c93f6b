package io.ursa.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.xds.context.MeshContext;
import io.ursa.xds.resources.EnvoyType;
import io.ursa.xds.testing.XdsFixtures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * A write that changes nothing the proxies of a mesh get (a Secret none of them reads, which makes every mesh be
 * read again) keeps the mesh context they were generated from, with the resources they share and what was derived
 * from them, so the next narrow change carries them; a real change replaces it.
 */
class UnchangedMeshKeepsItsContextTest {
    private static final String BACKEND = """
            type: Dataplane
            mesh: shop
            name: backend-1
            networking:
              address: 10.0.0.3
              inbound: [{port: 8080, tags: {kuma.io/service: backend}}]
            """;
    private static final String MESH = XdsFixtures.SHOP_ROUTING_ALL + """
            type: Dataplane
            mesh: shop
            name: web-1
            networking:
              address: 10.0.0.1
              inbound: [{port: 8080, tags: {kuma.io/service: web}}]
              outbound: [{port: 20001, tags: {kuma.io/service: backend}}]
            ---
            """ + BACKEND;

    @Test
    void aWriteThatChangesNothingKeepsTheContextAndAChangeReplacesIt() throws Exception {
        try (ServerFixture fixture = ServerFixture.withResources(MESH)) {
            AdsTestClient web = fixture.connect("shop.web-1", Map.of());
            web.subscribe(EnvoyType.CLUSTER.typeUrl(), List.of());
            web.next(EnvoyType.CLUSTER.typeUrl(), Duration.ofSeconds(10));
            Reconciler reconciler = fixture.server.reconciler();
            MeshContext generatedFrom = reconciler.contextAfterPasses("shop").orElseThrow();

            // a Secret no proxy of the mesh reads: a write in the mesh (every mesh, for a Secret) that changes
            // nothing its proxies get
            write(fixture, "type: Secret\nmesh: shop\nname: unrelated\ndata: c2VjcmV0\n");
            assertThat(fixture.manager.get(ResourceTypes.SECRET, "shop", "unrelated")).isPresent();

            assertThat(reconciler.contextAfterPasses("shop")).containsSame(generatedFrom);

            write(fixture, BACKEND.replace("backend-1", "backend-2").replace("10.0.0.3", "10.0.0.4"));

            MeshContext changed = reconciler.contextAfterPasses("shop").orElseThrow();
            assertThat(changed).isNotSameAs(generatedFrom);
            assertThat(changed.endpoints().get("backend")).hasSize(2);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void write(ServerFixture fixture, String yaml) {
        for (Resource resource : XdsFixtures.parse(yaml)) {
            fixture.manager.upsert(resource.type(), resource.mesh(), resource.name(), resource.spec(),
                    OptionalLong.empty());
        }
    }
}
