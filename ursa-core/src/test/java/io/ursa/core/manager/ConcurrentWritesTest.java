package io.ursa.core.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Spec;
import io.ursa.core.store.ListQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ConcurrentWritesTest {
    private final ManagerFixture f = new ManagerFixture(List.of());

    private static String policy(String mesh, String name, String service) {
        return """
                type: TrafficPermission
                mesh: %s
                name: %s
                sources: [{match: {kuma.io/service: %s}}]
                destinations: [{match: {kuma.io/service: '*'}}]
                """.formatted(mesh, name, service);
    }

    @Test
    void racingPlainPutsOfOneResourceAllSucceedAndOneCreates() throws Exception {
        f.apply("type: Mesh\nname: m\nskipCreatingInitialPolicies: ['*']\n");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<UpsertResult<?>>> results = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            // each spec differs, so each write is a change (a write of the stored spec is unchanged)
            Resource<?> spec = f.codec.decode(f.codec.parseYamlDocuments(policy("m", "tp", "web-" + i)).get(0));
            results.add(pool.submit((Callable<UpsertResult<?>>) () -> upsert(spec)));
        }
        int created = 0;
        for (Future<UpsertResult<?>> r : results) {
            if (r.get().created()) {
                created++;
            }
        }
        pool.shutdown();
        assertThat(created).isEqualTo(1);
        assertThat(f.manager.get(ResourceTypes.TRAFFIC_PERMISSION, "m", "tp").orElseThrow().meta().version())
                .isEqualTo(16);
    }

    @Test
    void noResourceOutlivesItsMeshWhenDeletedDuringWrites() throws Exception {
        f.apply("type: Mesh\nname: m\nskipCreatingInitialPolicies: ['*']\n");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> writers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            writers.add(pool.submit(() -> {
                for (int i = 0; i < 200; i++) {
                    try {
                        f.apply(policy("m", "tp-" + writer + "-" + i, "web"));
                    } catch (MeshNotFoundException gone) {
                        return;
                    }
                }
            }));
        }
        f.manager.delete(ResourceTypes.MESH, "", "m");
        for (Future<?> w : writers) {
            w.get();
        }
        pool.shutdown();
        assertThat(f.manager.get(ResourceTypes.MESH, "", "m")).isEmpty();
        assertThat(f.manager.list(ResourceTypes.TRAFFIC_PERMISSION, ListQuery.inMesh("m")).total()).isZero();
    }

    private <S extends Spec> UpsertResult<S> upsert(Resource<S> r) {
        return f.manager.upsert(r.type(), r.mesh(), r.name(), r.spec(), OptionalLong.empty());
    }
}
