package io.ursa.testing.store;

import static io.ursa.testing.store.Fixtures.CREATED;
import static io.ursa.testing.store.Fixtures.MODIFIED;
import static io.ursa.testing.store.Fixtures.NOTE;
import static io.ursa.testing.store.Fixtures.key;
import static io.ursa.testing.store.Fixtures.mesh;
import static io.ursa.testing.store.Fixtures.note;
import static io.ursa.testing.store.Fixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceMeta;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.event.ResourceChange;
import io.ursa.core.event.ResourceChange.Kind;
import io.ursa.core.store.AlreadyExistsException;
import io.ursa.core.store.ListQuery;
import io.ursa.core.store.ResourceStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Contract: {@code createAll} writes all of its resources (each version 1) or none; a taken key fails it as
 * {@code create} would; listeners hear one creation per resource, after the commit.
 */
interface CreateAllContract extends ContractStore {

    /** A mesh and what a new mesh gets with it, in the order the control plane writes them. */
    private List<Resource<?>> meshWithDefaults(String meshName) {
        return List.of(mesh(meshName),
                resource(ResourceTypes.SECRET, meshName, "ca-key"),
                resource(ResourceTypes.TRAFFIC_PERMISSION, meshName, "allow-all"),
                resource(ResourceTypes.TIMEOUT, meshName, "timeout-all"),
                note(meshName, "signing-key", "key"));
    }

    private static List<ResourceKey> keys(List<? extends Resource<?>> resources) {
        return resources.stream().map(r -> (ResourceKey) r.key()).toList();
    }

    @Test
    default void createAllStoresEveryResourceAtVersionOneAndListsThem() {
        Resource<NoteSpec> given = note("demo", "n", "text", "a");
        Resource<NoteSpec> withTimes = given.withMeta(new ResourceMeta("demo", "n", 7, CREATED, MODIFIED));

        List<Resource<?>> stored = store().createAll(List.of(mesh("demo"),
                resource(ResourceTypes.TRAFFIC_PERMISSION, "demo", "allow-all"), withTimes));

        assertThat(keys(stored)).containsExactly(ResourceKey.global(ResourceTypes.MESH, "demo"),
                key(ResourceTypes.TRAFFIC_PERMISSION, "demo", "allow-all"), key(NOTE, "demo", "n"));
        assertThat(stored).allSatisfy(r -> assertThat(r.meta().version()).isEqualTo(1));
        assertThat(stored.get(2).meta()).isEqualTo(new ResourceMeta("demo", "n", 1, CREATED, MODIFIED));
        assertThat(stored.get(2).spec()).isEqualTo(given.spec());
        assertThat(store().get(NOTE, "demo", "n").orElseThrow()).isEqualTo(stored.get(2));
        assertThat(List.<Resource<?>>copyOf(store().list(ResourceTypes.MESH, ListQuery.all()).items()))
                .containsExactly(stored.get(0));
        assertThat(List.<Resource<?>>copyOf(store().list(ResourceTypes.TRAFFIC_PERMISSION,
                ListQuery.inMesh("demo")).items())).containsExactly(stored.get(1));
    }

    @Test
    default void createAllOfNothingWritesNothing() {
        List<ResourceChange> heard = new CopyOnWriteArrayList<>();
        store().subscribe(heard::add);

        assertThat(store().createAll(List.of())).isEmpty();

        assertThat(store().list(ResourceTypes.MESH, ListQuery.all()).items()).isEmpty();
        assertThat(heard).isEmpty();
    }

    @Test
    default void aTakenKeyInTheMiddleFailsTheWholeBatchAndLeavesNothing() {
        Resource<?> taken = store().create(resource(ResourceTypes.TIMEOUT, "demo", "timeout-all"));
        List<ResourceChange> heard = new CopyOnWriteArrayList<>();
        store().subscribe(heard::add);

        assertThatThrownBy(() -> store().createAll(meshWithDefaults("demo")))
                .isInstanceOf(AlreadyExistsException.class)
                .satisfies(e -> assertThat(((AlreadyExistsException) e).key()).isEqualTo(taken.key()));

        assertThat(store().get(ResourceTypes.MESH, "", "demo")).isEmpty();
        assertThat(store().count(ResourceTypes.SECRET, "demo")).isZero();
        assertThat(store().count(ResourceTypes.TRAFFIC_PERMISSION, "demo")).isZero();
        assertThat(store().count(NOTE, "demo")).isZero();
        assertThat(store().get(ResourceTypes.TIMEOUT, "demo", "timeout-all").orElseThrow()).isEqualTo(taken);
        assertThat(heard).isEmpty();
    }

    @Test
    default void theSameKeyTwiceInOneBatchFailsItAndLeavesNothing() {
        assertThatThrownBy(() -> store().createAll(List.of(note("demo", "first", "x"), note("demo", "twice", "a"),
                note("demo", "twice", "b"))))
                .isInstanceOf(AlreadyExistsException.class)
                .satisfies(e -> assertThat(((AlreadyExistsException) e).key()).isEqualTo(key(NOTE, "demo", "twice")));

        assertThat(store().count(NOTE, "demo")).isZero();
    }

    @Test
    default void afterAFailedBatchTheSameResourcesCanBeCreated() {
        Resource<?> taken = store().create(note("demo", "signing-key", "old"));
        assertThatThrownBy(() -> store().createAll(meshWithDefaults("demo")))
                .isInstanceOf(AlreadyExistsException.class);
        store().delete(taken.key());

        List<Resource<?>> stored = store().createAll(meshWithDefaults("demo"));

        assertThat(keys(stored)).containsExactlyElementsOf(keys(meshWithDefaults("demo")));
        assertThat(store().get(NOTE, "demo", "signing-key").orElseThrow().meta().version()).isEqualTo(1);
    }

    @Test
    default void listenersHearOneCreationPerResourceInOrderAfterTheCommit() {
        List<ResourceKey> expected = keys(meshWithDefaults("demo"));
        List<ChangeListenerContract.Heard> heard = new CopyOnWriteArrayList<>();
        List<Integer> visibleWhenHeard = new CopyOnWriteArrayList<>();
        ResourceStore store = store();
        store.subscribe(change -> {
            ResourceKey k = change.key();
            long seen = store.get(k.type(), k.mesh(), k.name()).map(r -> r.meta().version()).orElse(0L);
            heard.add(new ChangeListenerContract.Heard(change, seen));
            visibleWhenHeard.add((int) expected.stream()
                    .filter(e -> store.get(e.type(), e.mesh(), e.name()).isPresent()).count());
        });

        store.createAll(meshWithDefaults("demo"));

        assertThat(heard).containsExactlyElementsOf(expected.stream()
                .map(k -> new ChangeListenerContract.Heard(new ResourceChange(k, Kind.CREATED, 1), 1))
                .toList());
        assertThat(visibleWhenHeard).as("resources of the batch a listener can read when it hears each change")
                .containsOnly(expected.size());
    }

    @Test
    default void aBatchIsDeletedWithItsMesh() {
        store().createAll(meshWithDefaults("demo"));

        store().delete(ResourceKey.global(ResourceTypes.MESH, "demo"));

        assertThat(store().count(ResourceTypes.SECRET, "demo")).isZero();
        assertThat(store().count(ResourceTypes.TRAFFIC_PERMISSION, "demo")).isZero();
        assertThat(store().count(NOTE, "demo")).isZero();
    }

    @Test
    default void aBatchIsThereAfterReopen() {
        List<Resource<?>> stored = store().createAll(meshWithDefaults("demo"));
        assumeTrue(reopenStore().isPresent(), "the store is not durable");

        for (Resource<?> r : stored) {
            assertThat(store().get(r.type(), r.mesh(), r.name()).orElseThrow()).as(r.key().toString()).isEqualTo(r);
        }
    }
}
