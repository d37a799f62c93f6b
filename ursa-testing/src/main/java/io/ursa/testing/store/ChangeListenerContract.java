package io.ursa.testing.store;

import static io.ursa.testing.store.Fixtures.CASCADE_TYPES;
import static io.ursa.testing.store.Fixtures.NOTE;
import static io.ursa.testing.store.Fixtures.key;
import static io.ursa.testing.store.Fixtures.mesh;
import static io.ursa.testing.store.Fixtures.note;
import static io.ursa.testing.store.Fixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.event.ResourceChange;
import io.ursa.core.event.ResourceChange.Kind;
import io.ursa.core.store.AlreadyExistsException;
import io.ursa.core.store.ConflictException;
import io.ursa.core.store.NotFoundException;
import io.ursa.core.store.ResourceStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Contract: listeners hear every committed change, after the commit, cascaded deletes included. */
interface ChangeListenerContract extends ContractStore {

    /** A change and the version of its resource that a read saw while the listener ran (0 = absent). */
    record Heard(ResourceChange change, long versionSeen) {
    }

    /** Subscribes a listener that records each change with what a read saw at that moment. */
    private List<Heard> listen() {
        List<Heard> heard = new CopyOnWriteArrayList<>();
        ResourceStore store = store();
        store.subscribe(change -> {
            ResourceKey k = change.key();
            long seen = store.get(k.type(), k.mesh(), k.name()).map(r -> r.meta().version()).orElse(0L);
            heard.add(new Heard(change, seen));
        });
        return heard;
    }

    @Test
    default void listenersHearCreateUpdateAndDeleteAfterTheCommit() {
        List<Heard> heard = listen();

        Resource<NoteSpec> v1 = store().create(note("demo", "n", "one"));
        Resource<NoteSpec> v2 = store().update(v1.withSpec(new NoteSpec("two", List.of())));
        store().delete(v2.key());

        ResourceKey k = key(NOTE, "demo", "n");
        assertThat(heard).containsExactly(
                new Heard(new ResourceChange(k, Kind.CREATED, 1), 1),
                new Heard(new ResourceChange(k, Kind.UPDATED, 2), 2),
                new Heard(new ResourceChange(k, Kind.DELETED, 0), 0));
    }

    @Test
    default void listenersHearOneDeletePerCascadedChild() {
        store().create(mesh("doomed"));
        store().create(mesh("spared"));
        List<ResourceKey> children = new ArrayList<>();
        for (var type : CASCADE_TYPES) {
            children.add(store().create(resource(type, "doomed", "a")).key());
            children.add(store().create(resource(type, "doomed", "b")).key());
            store().create(resource(type, "spared", "a"));
        }
        List<Heard> heard = listen();

        store().delete(ResourceKey.global(ResourceTypes.MESH, "doomed"));

        List<Heard> expected = new ArrayList<>();
        ResourceKey doomed = ResourceKey.global(ResourceTypes.MESH, "doomed");
        expected.add(new Heard(new ResourceChange(doomed, Kind.DELETED, 0), 0));
        children.forEach(c -> expected.add(new Heard(new ResourceChange(c, Kind.DELETED, 0), 0)));
        assertThat(heard).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    default void aFailingListenerDoesNotBreakTheWrite() {
        store().subscribe(change -> {
            throw new IllegalStateException("listener bug");
        });
        List<Heard> heard = listen();

        Resource<NoteSpec> created = store().create(note("demo", "n", "x"));
        Resource<NoteSpec> updated = store().update(created);

        assertThat(store().get(NOTE, "demo", "n")).hasValue(updated);
        assertThat(heard).extracting(h -> h.change().kind()).containsExactly(Kind.CREATED, Kind.UPDATED);
    }

    @Test
    default void aClosedSubscriptionHearsNothingMore() throws Exception {
        List<ResourceChange> heard = new CopyOnWriteArrayList<>();
        AutoCloseable subscription = store().subscribe(heard::add);
        store().create(note("demo", "before", "x"));

        subscription.close();
        store().create(note("demo", "after", "x"));

        assertThat(heard).extracting(c -> c.key().name()).containsExactly("before");
    }

    @Test
    default void failedWritesAreNotAnnounced() {
        Resource<NoteSpec> v1 = store().create(note("demo", "n", "x"));
        store().update(v1);
        List<Heard> heard = listen();

        assertThatThrownBy(() -> store().create(note("demo", "n", "y"))).isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> store().update(v1)).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> store().update(note("demo", "ghost", "y"))).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> store().delete(key(NOTE, "demo", "ghost"))).isInstanceOf(NotFoundException.class);

        assertThat(heard).isEmpty();
    }
}
