package io.ursa.testing.store;

import static io.ursa.testing.store.Fixtures.CASCADE_TYPES;
import static io.ursa.testing.store.Fixtures.NOTE;
import static io.ursa.testing.store.Fixtures.key;
import static io.ursa.testing.store.Fixtures.mesh;
import static io.ursa.testing.store.Fixtures.note;
import static io.ursa.testing.store.Fixtures.resource;
import static io.ursa.testing.store.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.event.ResourceChange;
import io.ursa.core.store.AlreadyExistsException;
import io.ursa.core.store.ConflictException;
import io.ursa.core.store.ListQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Contract (durable stores only): every acknowledged write is still there after the store is reopened. */
interface DurabilityContract extends ContractStore {

    private Map<String, List<Resource<?>>> everything() {
        Map<String, List<Resource<?>>> all = new LinkedHashMap<>();
        List<ResourceType<?>> types = new ArrayList<>(Fixtures.TYPES.all());
        types.add(NOTE);
        for (ResourceType<?> type : types) {
            all.put(type.name(), List.copyOf(store().list(type, ListQuery.all()).items()));
        }
        return all;
    }

    private void reopenOrSkip() {
        assumeTrue(reopenStore().isPresent(), "the store is not durable");
    }

    @Test
    default void everythingWrittenIsThereAfterReopen() {
        store().create(mesh("kept").withSpec(
                spec(ResourceTypes.MESH, "{\"networking\":{\"outbound\":{\"passthrough\":false}}}")));
        store().create(mesh("dropped"));
        for (ResourceType<?> type : CASCADE_TYPES) {
            store().create(resource(type, "kept", "a"));
            store().create(resource(type, "dropped", "a"));
        }
        Resource<NoteSpec> noted = store().create(note("kept", "note", "grüße, 你好 \"quoted\" \\ \n line", "x", "y"));
        Resource<NoteSpec> updated = store().update(noted.withMeta(noted.meta()
                .withTimes(noted.meta().creationTime(), Instant.parse("2030-01-02T03:04:05.678Z")))
                .withSpec(new NoteSpec("updated", List.of("z"))));
        store().update(updated);
        store().create(note("kept", "short-lived", "x"));
        store().delete(key(NOTE, "kept", "short-lived"));
        store().delete(ResourceKey.global(ResourceTypes.MESH, "dropped"));
        Map<String, List<Resource<?>>> before = everything();

        reopenOrSkip();

        assertThat(everything()).isEqualTo(before);
        assertThat(store().get(NOTE, "kept", "note").orElseThrow().meta().version()).isEqualTo(3);
        assertThat(store().count(ResourceTypes.DATAPLANE, "")).isEqualTo(1);
    }

    @Test
    default void afterReopenVersionsContinueAndKeysStayTaken() {
        Resource<NoteSpec> v1 = store().create(note("demo", "n", "x"));
        Resource<NoteSpec> v2 = store().update(v1);

        reopenOrSkip();

        assertThatThrownBy(() -> store().create(note("demo", "n", "again")))
                .isInstanceOf(AlreadyExistsException.class);
        assertThatThrownBy(() -> store().update(v1)).isInstanceOf(ConflictException.class);
        assertThat(store().update(v2).meta().version()).isEqualTo(3);
    }

    @Test
    default void aReopenedStoreAnnouncesItsChanges() {
        store().create(note("demo", "n", "x"));

        reopenOrSkip();
        List<ResourceChange> heard = new CopyOnWriteArrayList<>();
        store().subscribe(heard::add);
        store().delete(key(NOTE, "demo", "n"));

        assertThat(heard).containsExactly(new ResourceChange(key(NOTE, "demo", "n"), ResourceChange.Kind.DELETED, 0));
    }
}
