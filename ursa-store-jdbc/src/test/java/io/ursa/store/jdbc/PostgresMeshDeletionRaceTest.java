package io.ursa.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Spec;
import io.ursa.core.manager.MeshNotFoundException;
import io.ursa.core.manager.ResourceManager;
import io.ursa.core.store.ListQuery;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two control planes on one database, each with its own manager (whose mesh lock is its own): one deletes a mesh
 * while the other keeps creating resources in it. No resource may outlive its mesh, and a create that loses is told
 * that the mesh is gone.
 */
class PostgresMeshDeletionRaceTest {
    private final ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());

    @Test
    void noResourceOutlivesItsMeshWhenAnotherControlPlaneDeletesIt() throws Exception {
        PostgresSettings database = TestPostgres.shared().migratedDatabase();
        try (PostgresResourceStore storeA = PostgresResourceStore.open(database, ResourceTypes.standard(), "cp-a");
             PostgresResourceStore storeB = PostgresResourceStore.open(database, ResourceTypes.standard(), "cp-b")) {
            ResourceManager a = ResourceManager.create(storeA, Clock.systemUTC(), List.of());
            ResourceManager b = ResourceManager.create(storeB, Clock.systemUTC(), List.of());
            AtomicInteger refused = new AtomicInteger();
            for (int round = 0; round < 20; round++) {
                apply(a, "type: Mesh\nname: doomed\nskipCreatingInitialPolicies: ['*']");
                AtomicBoolean creating = new AtomicBoolean(true);
                AtomicInteger created = new AtomicInteger();
                int thisRound = round;
                CompletableFuture<Void> creator = CompletableFuture.runAsync(() -> {
                    for (int i = 0; creating.get(); i++) {
                        try {
                            apply(b, permission("tp-" + thisRound + "-" + i));
                            created.incrementAndGet();
                        } catch (MeshNotFoundException e) {
                            refused.incrementAndGet();
                            return;
                        }
                    }
                });
                await().atMost(Duration.ofSeconds(30)).until(() -> created.get() >= 3 || creator.isDone());
                a.delete(ResourceTypes.MESH, "", "doomed");
                creating.set(false);
                creator.get(30, TimeUnit.SECONDS);

                assertThat(storeA.get(ResourceTypes.MESH, "", "doomed")).isEmpty();
                assertThat(storeA.list(ResourceTypes.TRAFFIC_PERMISSION, ListQuery.inMesh("doomed")).items())
                        .as("resources left in the deleted mesh in round %d", round).isEmpty();
            }
            System.out.printf("creates refused because the mesh was gone: %d of 20 rounds%n", refused.get());
        }
    }

    private void apply(ResourceManager manager, String yaml) {
        Resource<?> resource = codec.decode(codec.parseYamlDocuments(yaml).get(0));
        upsert(manager, resource);
    }

    private static <S extends Spec> void upsert(ResourceManager manager, Resource<S> r) {
        manager.upsert(r.type(), r.mesh(), r.name(), r.spec(), OptionalLong.empty());
    }

    private static String permission(String name) {
        return """
                type: TrafficPermission
                mesh: doomed
                name: %s
                sources: [{match: {kuma.io/service: web}}]
                destinations: [{match: {kuma.io/service: '*'}}]
                """.formatted(name);
    }
}
