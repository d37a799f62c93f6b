package io.ursa.testing.store;

import static io.ursa.testing.store.Fixtures.CREATED;
import static io.ursa.testing.store.Fixtures.NOTE;
import static io.ursa.testing.store.Fixtures.key;
import static io.ursa.testing.store.Fixtures.mesh;
import static io.ursa.testing.store.Fixtures.note;
import static io.ursa.testing.store.Fixtures.resource;
import static io.ursa.testing.store.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceMeta;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.store.AlreadyExistsException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Contract: create stores version 1 and refuses a taken key; get returns what was stored; times keep millis. */
interface CreateAndGetContract extends ContractStore {

    @Test
    default void createReturnsVersionOneWithTheGivenMetaAndSpec() {
        MeshSpec spec = spec(ResourceTypes.MESH, "{\"networking\":{\"outbound\":{\"passthrough\":false}}}");
        Resource<MeshSpec> given = new Resource<>(ResourceTypes.MESH,
                new ResourceMeta("", "demo", 0, CREATED, Fixtures.MODIFIED), spec);

        Resource<MeshSpec> stored = store().create(given);

        assertThat(stored.type()).isSameAs(ResourceTypes.MESH);
        assertThat(stored.meta()).isEqualTo(new ResourceMeta("", "demo", 1, CREATED, Fixtures.MODIFIED));
        assertThat(stored.spec()).isEqualTo(spec);
    }

    @Test
    default void createStoresVersionOneWhateverVersionTheCallerGave() {
        Resource<NoteSpec> given = note("demo", "n", "text");

        Resource<NoteSpec> stored = store().create(given.withMeta(given.meta().withVersion(7)));

        assertThat(stored.meta().version()).isEqualTo(1);
        assertThat(store().get(NOTE, "demo", "n")).hasValue(stored);
    }

    @Test
    default void getReturnsTheStoredResource() {
        Resource<NoteSpec> stored = store().create(note("demo", "n", "hello, wörld", "a", "b"));

        assertThat(store().get(NOTE, "demo", "n")).hasValue(stored);
    }

    @Test
    default void getOfAMissingKeyIsEmpty() {
        store().create(note("demo", "n", "x"));

        assertThat(store().get(NOTE, "demo", "other")).isEmpty();
        assertThat(store().get(NOTE, "other", "n")).isEmpty();
        assertThat(store().get(ResourceTypes.DATAPLANE, "demo", "n")).isEmpty();
    }

    @Test
    default void createOfATakenKeyFailsAndKeepsTheOriginal() {
        Resource<NoteSpec> original = store().create(note("demo", "n", "original"));

        assertThatThrownBy(() -> store().create(note("demo", "n", "intruder")))
                .isInstanceOf(AlreadyExistsException.class)
                .satisfies(e -> assertThat(((AlreadyExistsException) e).key()).isEqualTo(key(NOTE, "demo", "n")));

        assertThat(store().get(NOTE, "demo", "n")).hasValue(original);
    }

    @Test
    default void timesAreKeptAtMillisecondPrecision() {
        Instant created = Instant.parse("2024-05-06T07:08:09.123456789Z");
        Instant modified = Instant.parse("2024-05-06T07:08:10.987654321Z");
        Resource<NoteSpec> given = note("demo", "n", "x");

        Resource<NoteSpec> stored = store().create(given.withMeta(given.meta().withTimes(created, modified)));

        ResourceMeta expected = new ResourceMeta("demo", "n", 1,
                Instant.parse("2024-05-06T07:08:09.123Z"), Instant.parse("2024-05-06T07:08:10.987Z"));
        assertThat(stored.meta()).isEqualTo(expected);
        assertThat(store().get(NOTE, "demo", "n").orElseThrow().meta()).isEqualTo(expected);
    }

    @Test
    default void timesBeforeTheEpochAndTheZeroTimeRoundTrip() {
        Resource<NoteSpec> given = note("demo", "n", "x");
        Instant beforeEpoch = Instant.parse("1969-12-31T23:59:59.999Z");

        store().create(given.withMeta(given.meta().withTimes(ResourceMeta.ZERO_TIME, beforeEpoch)));

        assertThat(store().get(NOTE, "demo", "n").orElseThrow().meta())
                .isEqualTo(new ResourceMeta("demo", "n", 1, ResourceMeta.ZERO_TIME, beforeEpoch));
    }

    @Test
    default void aWriteIsVisibleToOtherThreadsOnceItReturned() throws Exception {
        Resource<MeshSpec> stored = store().create(mesh("demo"));
        store().create(resource(ResourceTypes.DATAPLANE, "demo", "dp-1"));

        Thread reader = new Thread(() -> {
            assertThat(store().get(ResourceTypes.MESH, "", "demo")).hasValue(stored);
            assertThat(store().count(ResourceTypes.DATAPLANE, "demo")).isEqualTo(1);
        });
        Throwable[] failure = new Throwable[1];
        reader.setUncaughtExceptionHandler((t, e) -> failure[0] = e);
        reader.start();
        reader.join();

        assertThat(failure[0]).isNull();
    }

    @Test
    default void describeSaysWhatKindOfStoreItIs() {
        assertThat(store().describe()).isNotBlank();
    }
}
