package io.ursa.testing.store;

import static io.ursa.testing.store.Fixtures.CREATED;
import static io.ursa.testing.store.Fixtures.MODIFIED;
import static io.ursa.testing.store.Fixtures.NOTE;
import static io.ursa.testing.store.Fixtures.key;
import static io.ursa.testing.store.Fixtures.note;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceMeta;
import io.ursa.core.store.ConflictException;
import io.ursa.core.store.NotFoundException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Contract: optimistic updates (version + 1, stale version refused) and deletes. */
interface UpdateAndDeleteContract extends ContractStore {

    @Test
    default void updateWithTheCurrentVersionStoresVersionPlusOneAndTheNewSpec() {
        Resource<NoteSpec> v1 = store().create(note("demo", "n", "first", "a"));

        Resource<NoteSpec> v2 = store().update(v1.withSpec(new NoteSpec("second", List.of("b", "c"))));

        assertThat(v2.meta().version()).isEqualTo(2);
        assertThat(v2.spec()).isEqualTo(new NoteSpec("second", List.of("b", "c")));
        assertThat(store().get(NOTE, "demo", "n")).hasValue(v2);

        Resource<NoteSpec> v3 = store().update(v2.withSpec(new NoteSpec("third", List.of())));
        assertThat(v3.meta().version()).isEqualTo(3);
        assertThat(store().get(NOTE, "demo", "n")).hasValue(v3);
    }

    @Test
    default void updateKeepsTheCreationTimeAndStoresTheGivenModificationTime() {
        Resource<NoteSpec> v1 = store().create(note("demo", "n", "first"));
        Instant laterModified = Instant.parse("2025-01-01T00:00:00.789Z");

        Resource<NoteSpec> v2 = store().update(v1.withMeta(v1.meta().withTimes(Instant.EPOCH, laterModified)));

        ResourceMeta expected = new ResourceMeta("demo", "n", 2, CREATED, laterModified);
        assertThat(v2.meta()).isEqualTo(expected);
        assertThat(store().get(NOTE, "demo", "n").orElseThrow().meta()).isEqualTo(expected);
    }

    @Test
    default void updateWithAStaleVersionFailsAndChangesNothing() {
        Resource<NoteSpec> v1 = store().create(note("demo", "n", "first"));
        Resource<NoteSpec> v2 = store().update(v1.withSpec(new NoteSpec("second", List.of())));

        Resource<NoteSpec> stale = v1.withSpec(new NoteSpec("lost update", List.of()))
                .withMeta(v1.meta().withTimes(CREATED, MODIFIED));
        assertThatThrownBy(() -> store().update(stale))
                .isInstanceOf(ConflictException.class)
                .satisfies(e -> assertThat(((ConflictException) e).key()).isEqualTo(key(NOTE, "demo", "n")));

        assertThat(store().get(NOTE, "demo", "n")).hasValue(v2);
    }

    @Test
    default void updateWithAVersionFromTheFutureIsAConflict() {
        Resource<NoteSpec> v1 = store().create(note("demo", "n", "first"));

        assertThatThrownBy(() -> store().update(v1.withMeta(v1.meta().withVersion(5))))
                .isInstanceOf(ConflictException.class);

        assertThat(store().get(NOTE, "demo", "n")).hasValue(v1);
    }

    @Test
    default void updateOfAMissingKeyFailsWithNotFound() {
        Resource<NoteSpec> ghost = note("demo", "ghost", "x");

        assertThatThrownBy(() -> store().update(ghost.withMeta(ghost.meta().withVersion(1))))
                .isInstanceOf(NotFoundException.class)
                .satisfies(e -> assertThat(((NotFoundException) e).key()).isEqualTo(key(NOTE, "demo", "ghost")));

        assertThat(store().get(NOTE, "demo", "ghost")).isEmpty();
    }

    @Test
    default void deleteRemovesTheResourceAndFreesTheKey() {
        store().create(note("demo", "n", "first"));
        Resource<NoteSpec> other = store().create(note("demo", "other", "stays"));

        store().delete(key(NOTE, "demo", "n"));

        assertThat(store().get(NOTE, "demo", "n")).isEmpty();
        assertThat(store().get(NOTE, "demo", "other")).hasValue(other);
        Resource<NoteSpec> again = store().create(note("demo", "n", "reborn"));
        assertThat(again.meta().version()).isEqualTo(1);
        assertThat(store().get(NOTE, "demo", "n")).hasValue(again);
    }

    @Test
    default void deleteOfAMissingKeyFailsWithNotFound() {
        store().create(note("demo", "n", "x"));

        assertThatThrownBy(() -> store().delete(key(NOTE, "demo", "ghost")))
                .isInstanceOf(NotFoundException.class)
                .satisfies(e -> assertThat(((NotFoundException) e).key()).isEqualTo(key(NOTE, "demo", "ghost")));
        assertThatThrownBy(() -> store().delete(key(NOTE, "other", "n")))
                .isInstanceOf(NotFoundException.class);

        assertThat(store().count(NOTE, "")).isEqualTo(1);
    }

    @Test
    default void updateAfterDeleteFailsWithNotFound() {
        Resource<NoteSpec> v1 = store().create(note("demo", "n", "x"));
        store().delete(v1.key());

        assertThatThrownBy(() -> store().update(v1)).isInstanceOf(NotFoundException.class);
        assertThat(store().get(NOTE, "demo", "n")).isEmpty();
    }
}
