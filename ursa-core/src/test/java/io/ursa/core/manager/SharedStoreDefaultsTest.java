package io.ursa.core.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.MemoryResourceStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Several control planes on one store each have a manager of their own (their locks are per process) and create the
 * defaults as they start: each default must be created once, and no instance may fail its start because another
 * created it first.
 */
class SharedStoreDefaultsTest {
    private final ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());

    @Test
    void instancesStartingTogetherCreateTheDefaultMeshOnceAndNoneFails() throws Exception {
        int instances = 4;
        for (int round = 0; round < 50; round++) {
            MemoryResourceStore store = new MemoryResourceStore();
            List<ResourceManager> managers = new ArrayList<>();
            for (int i = 0; i < instances; i++) {
                managers.add(ResourceManager.create(store, Clock.systemUTC(), List.of()));
            }
            CyclicBarrier start = new CyclicBarrier(instances);
            ExecutorService pool = Executors.newFixedThreadPool(instances);
            try {
                List<Future<Boolean>> created = new ArrayList<>();
                for (ResourceManager manager : managers) {
                    created.add(pool.submit((Callable<Boolean>) () -> {
                        start.await();
                        return DefaultMesh.ensure(manager, codec);
                    }));
                }
                int creators = 0;
                for (Future<Boolean> f : created) {
                    if (f.get()) {
                        creators++;
                    }
                }
                assertThat(creators).as("instances that created the default mesh in round %d", round).isEqualTo(1);
                assertThat(store.list(ResourceTypes.MESH, ListQuery.all()).items()).hasSize(1);
                assertThat(store.get(ResourceTypes.MESH, "", DefaultMesh.NAME).orElseThrow().meta().version())
                        .isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
