package io.ursa.testing.store;

import static io.ursa.testing.store.Fixtures.NOTE;
import static io.ursa.testing.store.Fixtures.note;
import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.resource.Resource;
import io.ursa.core.event.ResourceChange;
import io.ursa.core.store.AlreadyExistsException;
import io.ursa.core.store.ConflictException;
import io.ursa.core.store.ListQuery;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Contract: the store is thread-safe; optimistic concurrency lets exactly one of racing writers win. */
interface ConcurrencyContract extends ContractStore {
    int THREADS = 8;

    @Test
    default void concurrentUpdatesWithTheSameVersionHaveExactlyOneWinner() throws Exception {
        Resource<NoteSpec> v1 = store().create(note("demo", "n", "original"));

        List<Race.Outcome<Resource<NoteSpec>>> outcomes = Race.run(THREADS,
                i -> store().update(v1.withSpec(new NoteSpec("writer " + i, List.of()))));

        List<Resource<NoteSpec>> winners = outcomes.stream().filter(Race.Outcome::succeeded)
                .map(Race.Outcome::value).toList();
        assertThat(winners).hasSize(1);
        assertThat(outcomes).filteredOn(o -> !o.succeeded())
                .allSatisfy(o -> assertThat(o.failure()).isInstanceOf(ConflictException.class))
                .hasSize(THREADS - 1);
        assertThat(winners.get(0).meta().version()).isEqualTo(2);
        assertThat(store().get(NOTE, "demo", "n")).hasValue(winners.get(0));
    }

    @Test
    default void concurrentCreatesOfOneKeyHaveExactlyOneWinner() throws Exception {
        List<Race.Outcome<Resource<NoteSpec>>> outcomes = Race.run(THREADS,
                i -> store().create(note("demo", "n", "writer " + i)));

        List<Resource<NoteSpec>> winners = outcomes.stream().filter(Race.Outcome::succeeded)
                .map(Race.Outcome::value).toList();
        assertThat(winners).hasSize(1);
        assertThat(outcomes).filteredOn(o -> !o.succeeded())
                .allSatisfy(o -> assertThat(o.failure()).isInstanceOf(AlreadyExistsException.class));
        assertThat(store().get(NOTE, "demo", "n")).hasValue(winners.get(0));
    }

    @Test
    default void concurrentWritesToDifferentKeysAllSucceed() throws Exception {
        List<Race.Outcome<Integer>> outcomes = Race.run(THREADS, i -> {
            for (int j = 0; j < 25; j++) {
                Resource<NoteSpec> created = store().create(note("mesh-" + (j % 3), "n-" + i + "-" + j, "x"));
                store().update(created.withSpec(new NoteSpec("updated", List.of())));
            }
            return i;
        });

        assertThat(outcomes).allSatisfy(o -> assertThat(o.failure()).isNull());
        assertThat(store().count(NOTE, "")).isEqualTo(THREADS * 25L);
        assertThat(store().list(NOTE, ListQuery.all()).items())
                .allSatisfy(r -> assertThat(r.meta().version()).isEqualTo(2));
    }

    @Test
    default void listenersHearTheChangesOfOneResourceInCommitOrder() throws Exception {
        store().create(note("demo", "n", "x"));
        List<Long> heardVersions = new CopyOnWriteArrayList<>();
        store().subscribe(change -> {
            if (change.kind() == ResourceChange.Kind.UPDATED) {
                heardVersions.add(change.version());
            }
        });
        int updatesPerThread = 20;

        Race.run(4, i -> {
            int done = 0;
            while (done < updatesPerThread) {
                Resource<NoteSpec> current = store().get(NOTE, "demo", "n").orElseThrow();
                try {
                    store().update(current.withSpec(new NoteSpec("writer " + i + " #" + done, List.of())));
                    done++;
                } catch (ConflictException lostTheRace) {
                    // read again and retry
                }
            }
            return done;
        });

        assertThat(heardVersions).containsExactlyElementsOf(
                LongStream.rangeClosed(2, 1 + 4L * updatesPerThread).boxed().toList());
    }
}
