package io.ursa.core.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.MemoryResourceStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
    private static final String SIGNING_KEY = DefaultMeshResources.SIGNING_KEY_PREFIX + DefaultMesh.NAME + "-1";

    private final ResourceCodec codec = new ResourceCodec(ResourceTypes.standard());

    @Test
    void instancesStartingTogetherCreateTheDefaultMeshOnceAndNoneFails() throws Exception {
        int instances = 4;
        Set<String> signingKeys = new HashSet<>();
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
                // the losers' signing keys were never written: they go back to the key pool, and each written key
                // is still one no other mesh has
                signingKeys.add(new String(store.get(ResourceTypes.SECRET, DefaultMesh.NAME, SIGNING_KEY)
                        .orElseThrow().spec().bytes(), StandardCharsets.US_ASCII));
                assertThat(signingKeys).as("signing keys of the default meshes so far").hasSize(round + 1);
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
