package io.ursa.testing.store;

import static io.ursa.testing.store.Fixtures.CASCADE_TYPES;
import static io.ursa.testing.store.Fixtures.NOTE;
import static io.ursa.testing.store.Fixtures.mesh;
import static io.ursa.testing.store.Fixtures.note;
import static io.ursa.testing.store.Fixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.ResourcePage;
import io.ursa.core.store.ResourceReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Contract: {@code snapshot} reads as of one moment. Every read through its reader sees the same committed state,
 * the one at the snapshot's start, whatever other threads commit meanwhile (creates, updates, deletes, a mesh's
 * cascade delete); a write committed before it starts is seen; what the reads throw comes out unchanged and leaves
 * the store working.
 *
 * <p>Stores differ on what a concurrent writer does, and both are allowed: it waits for the snapshot to end (the
 * memory store, see {@link #writersWaitForSnapshots}) or it commits while the snapshot goes on seeing the old state
 * (databases). The tests start the writer from inside the snapshot and, for a store whose writers proceed, wait for
 * its writes to commit before reading again; for a store whose writers wait, they wait until the writer is parked.
 */
interface SnapshotContract extends ContractStore {
    /** Notes {@code n0..n9} in mesh {@code demo}, which the concurrent writer changes. */
    int NOTES = 10;
    Duration PATIENCE = Duration.ofMinutes(1);

    /**
     * What one round of reads saw: the notes of mesh {@code demo} by list, count and get, and mesh {@code doomed}
     * with its children. Each read answers on its own, so that two rounds can be compared.
     */
    record Seen(ResourcePage<NoteSpec> notes, long noteCount, Map<String, Optional<Resource<NoteSpec>>> notesByGet,
                Optional<Resource<MeshSpec>> doomed, Map<String, Long> doomedChildren, List<String> meshes) {

        static Seen read(ResourceReader reader) {
            Map<String, Optional<Resource<NoteSpec>>> byGet = new LinkedHashMap<>();
            for (String name : noteNames()) {
                byGet.put(name, reader.get(NOTE, "demo", name));
            }
            Map<String, Long> children = new LinkedHashMap<>();
            for (ResourceType<?> type : CASCADE_TYPES) {
                children.put(type.name(), reader.count(type, "doomed"));
                children.put(type.name() + " listed", reader.list(type, ListQuery.inMesh("doomed")).total());
            }
            return new Seen(reader.list(NOTE, ListQuery.inMesh("demo")), reader.count(NOTE, "demo"), byGet,
                    reader.get(ResourceTypes.MESH, "", "doomed"), children,
                    reader.list(ResourceTypes.MESH, ListQuery.all()).items().stream().map(Resource::name).toList());
        }

        /** The names asked for by get: the notes that exist at first and the one the writer creates. */
        static List<String> noteNames() {
            List<String> names = new ArrayList<>(IntStream.range(0, NOTES).mapToObj(i -> "n" + i).toList());
            names.add("n-new");
            return names;
        }

        /** Checks that the reads of this round agree with each other. */
        void assertAgrees() {
            assertThat(notes.total()).as("list total").isEqualTo(notes.items().size());
            assertThat(noteCount).as("count").isEqualTo(notes.items().size());
            Map<String, Optional<Resource<NoteSpec>>> listed = new LinkedHashMap<>();
            noteNames().forEach(name -> listed.put(name, Optional.empty()));
            notes.items().forEach(note -> listed.put(note.name(), Optional.of(note)));
            assertThat(notesByGet).as("get agrees with list").isEqualTo(listed);
            Long meshChildren = doomed.isPresent() ? 2L : 0L;
            assertThat(doomedChildren.values()).as("children of mesh doomed").containsOnly(meshChildren);
            assertThat(meshes.contains("doomed")).as("mesh doomed listed").isEqualTo(doomed.isPresent());
        }
    }

    /** A write on a thread of its own, so that a test can watch whether it is parked. */
    final class BackgroundWrite {
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private final Thread thread;

        private BackgroundWrite(Runnable writes) {
            thread = new Thread(() -> {
                try {
                    writes.run();
                    done.complete(null);
                } catch (Throwable e) {
                    done.completeExceptionally(e);
                }
            }, "contract-writer");
            thread.setDaemon(true);
        }

        static BackgroundWrite start(Runnable writes) {
            BackgroundWrite write = new BackgroundWrite(writes);
            write.thread.start();
            return write;
        }

        boolean committed() {
            return done.isDone() && !done.isCompletedExceptionally();
        }

        /** Whether the writer is waiting (for a lock, say) rather than running or finished. */
        boolean parked() {
            Thread.State state = thread.getState();
            return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING
                    || state == Thread.State.BLOCKED;
        }

        /** Waits for the writes to commit; fails with what they threw. */
        void awaitCommitted() throws Exception {
            done.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** What the snapshot of {@link #snapshotSeesOneStateWhileOthersCommit} returns. */
    record Observed(Seen first, Seen later, boolean writeCommittedDuringSnapshot) {
    }

    private void createNotesAndDoomedMesh() {
        store().create(mesh("demo"));
        for (int i = 0; i < NOTES; i++) {
            store().create(note("demo", "n" + i, "original " + i));
        }
        store().create(mesh("doomed"));
        for (ResourceType<?> type : CASCADE_TYPES) {
            store().create(resource(type, "doomed", "one"));
            store().create(resource(type, "doomed", "two"));
        }
    }

    /** Creates, updates, deletes and deletes mesh {@code doomed} with its children, each in its own commit. */
    private void writeEveryKind() {
        store().create(note("demo", "n-new", "created during the snapshot"));
        Resource<NoteSpec> n1 = store().get(NOTE, "demo", "n1").orElseThrow();
        store().update(n1.withSpec(new NoteSpec("updated during the snapshot", List.of())));
        store().delete(new ResourceKey(NOTE, "demo", "n2"));
        store().delete(ResourceKey.global(ResourceTypes.MESH, "doomed"));
    }

    @Test
    default void snapshotSeesOneStateWhileOthersCommit() throws Exception {
        createNotesAndDoomedMesh();
        Seen atStart = Seen.read(store());
        BackgroundWrite[] writer = new BackgroundWrite[1];

        Observed observed = store().snapshot(reader -> {
            Seen first = Seen.read(reader);
            writer[0] = BackgroundWrite.start(this::writeEveryKind);
            if (writersWaitForSnapshots()) {
                // parked as it should be, or (a store that does not keep its word) done already
                await().atMost(PATIENCE).until(() -> writer[0].parked() || writer[0].done.isDone());
            } else {
                try {
                    writer[0].awaitCommitted();
                } catch (Exception e) {
                    throw new AssertionError("the concurrent writes did not commit during the snapshot", e);
                }
            }
            Seen later = Seen.read(reader);
            return new Observed(first, later, writer[0].committed());
        });
        writer[0].awaitCommitted();

        observed.first().assertAgrees();
        assertThat(observed.first()).as("the first reads see the state at the snapshot's start").isEqualTo(atStart);
        assertThat(observed.later()).as("reads after the concurrent commits still see the state at the start")
                .isEqualTo(atStart);
        assertThat(observed.writeCommittedDuringSnapshot()).as("the concurrent write committed during the snapshot")
                .isEqualTo(!writersWaitForSnapshots());
        Seen after = Seen.read(store());
        after.assertAgrees();
        assertThat(after.notesByGet().get("n-new")).as("created").isPresent();
        assertThat(after.notesByGet().get("n1")).as("updated").hasValueSatisfying(n1 ->
                assertThat(n1.spec().text()).isEqualTo("updated during the snapshot"));
        assertThat(after.notesByGet().get("n2")).as("deleted").isEmpty();
        assertThat(after.doomed()).as("mesh deleted").isEmpty();
    }

    @Test
    default void aSnapshotOfAStoreBeingWrittenNeverSeesAMeshHalfDeleted() throws Exception {
        for (int round = 0; round < 20; round++) {
            store().create(mesh("doomed"));
            for (ResourceType<?> type : CASCADE_TYPES) {
                store().create(resource(type, "doomed", "one"));
                store().create(resource(type, "doomed", "two"));
            }
            CompletableFuture<Void> delete = CompletableFuture.runAsync(
                    () -> store().delete(ResourceKey.global(ResourceTypes.MESH, "doomed")));
            List<Long> counts = store().snapshot(reader -> {
                List<Long> seen = new ArrayList<>();
                seen.add(reader.get(ResourceTypes.MESH, "", "doomed").isPresent() ? 2L : 0L);
                for (ResourceType<?> type : CASCADE_TYPES) {
                    seen.add(reader.count(type, "doomed"));
                    seen.add((long) reader.list(type, ListQuery.inMesh("doomed")).items().size());
                }
                return seen;
            });
            delete.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

            assertThat(Set.copyOf(counts)).as("round %d: the mesh and its children (%s), all or none", round, counts)
                    .isIn(Set.of(2L), Set.of(0L));
        }
    }

    @Test
    default void aSnapshotSeesEveryWriteCommittedBeforeItStarts() throws Exception {
        store().create(mesh("demo"));
        Resource<NoteSpec> kept = store().create(note("demo", "kept", "v1"));
        store().create(note("demo", "gone", "x"));
        Resource<NoteSpec> updated = store().update(kept.withSpec(new NoteSpec("v2", List.of())));
        store().delete(new ResourceKey(NOTE, "demo", "gone"));
        Resource<NoteSpec> fromOtherThread = CompletableFuture
                .supplyAsync(() -> store().create(note("demo", "other-thread", "x")))
                .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

        List<Resource<NoteSpec>> listed = store().snapshot(reader -> reader.list(NOTE, ListQuery.inMesh("demo"))
                .items());
        Optional<Resource<NoteSpec>> gone = store().snapshot(reader -> reader.get(NOTE, "demo", "gone"));
        long count = store().snapshot(reader -> reader.count(NOTE, "demo"));

        assertThat(listed).containsExactly(updated, fromOtherThread);
        assertThat(gone).isEmpty();
        assertThat(count).isEqualTo(2);
    }

    @Test
    default void anExceptionFromTheReadsComesOutUnchangedAndLeavesTheStoreWorking() throws Exception {
        store().create(mesh("demo"));
        store().create(note("demo", "n", "x"));
        // More failed snapshots than a store is likely to have connections: each must give back what it took.
        for (int i = 0; i < 3 * 4 + 1; i++) {
            RuntimeException failure = new IllegalArgumentException("reads failed #" + i);
            assertThatThrownBy(() -> store().snapshot(reader -> {
                reader.list(NOTE, ListQuery.inMesh("demo"));
                throw failure;
            })).isSameAs(failure);
        }
        AssertionError error = new AssertionError("an Error from the reads");
        assertThatThrownBy(() -> store().snapshot(reader -> {
            reader.get(NOTE, "demo", "n");
            throw error;
        })).isSameAs(error);

        // A writer on another thread is not held back by anything the failed snapshots left behind.
        CompletableFuture.runAsync(() -> store().create(note("demo", "after", "x")))
                .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        store().create(note("demo", "after-here", "x"));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 3 * 4 + 1; i++) {
            names = store().snapshot(reader -> reader.list(NOTE, ListQuery.inMesh("demo")).items().stream()
                    .map(Resource::name).toList());
        }
        assertThat(names).containsExactly("after", "after-here", "n");
    }

    @Test
    default void aSnapshotReturnsWhatItsReadsReturn() {
        Resource<MeshSpec> demo = store().create(mesh("demo"));

        Optional<Resource<MeshSpec>> got = store().snapshot(reader -> reader.get(ResourceTypes.MESH, "", "demo"));
        long count = store().snapshot(reader -> reader.count(ResourceTypes.MESH, ""));

        assertThat(got).hasValue(demo);
        assertThat(count).isEqualTo(1);
    }
}
