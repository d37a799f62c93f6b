package io.ursa.testing.store;

import static io.ursa.testing.store.Fixtures.NOTE;
import static io.ursa.testing.store.Fixtures.key;
import static io.ursa.testing.store.Fixtures.mesh;
import static io.ursa.testing.store.Fixtures.note;
import static io.ursa.testing.store.Fixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceMeta;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.store.ListQuery;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Contract: keys are (type, mesh, name); global types use the empty mesh whatever mesh the caller names. */
interface KeyScopeContract extends ContractStore {

    @Test
    default void theSameNameInTwoMeshesIsTwoResources() {
        Resource<NoteSpec> inA = store().create(note("a", "n", "in a"));
        Resource<NoteSpec> inB = store().create(note("b", "n", "in b"));

        Resource<NoteSpec> inA2 = store().update(inA.withSpec(new NoteSpec("in a, changed", List.of())));
        store().delete(inB.key());

        assertThat(store().get(NOTE, "a", "n")).hasValue(inA2);
        assertThat(store().get(NOTE, "b", "n")).isEmpty();
    }

    @Test
    default void theSameNameInTwoTypesIsTwoResources() {
        var dataplane = store().create(resource(ResourceTypes.DATAPLANE, "demo", "web"));
        var secret = store().create(resource(ResourceTypes.SECRET, "demo", "web"));
        var permission = store().create(resource(ResourceTypes.TRAFFIC_PERMISSION, "demo", "web"));

        store().delete(secret.key());

        assertThat(store().get(ResourceTypes.DATAPLANE, "demo", "web")).hasValue(dataplane);
        assertThat(store().get(ResourceTypes.SECRET, "demo", "web")).isEmpty();
        assertThat(store().get(ResourceTypes.TRAFFIC_PERMISSION, "demo", "web")).hasValue(permission);
        assertThat(store().count(ResourceTypes.DATAPLANE, "demo")).isEqualTo(1);
    }

    @Test
    default void aGlobalResourceIsFoundWhateverMeshIsAsked() {
        Resource<MeshSpec> demo = store().create(mesh("demo"));

        assertThat(store().get(ResourceTypes.MESH, "", "demo")).hasValue(demo);
        assertThat(store().get(ResourceTypes.MESH, "elsewhere", "demo")).hasValue(demo);
        assertThat(store().list(ResourceTypes.MESH, ListQuery.inMesh("elsewhere")).items()).containsExactly(demo);
        assertThat(store().count(ResourceTypes.MESH, "elsewhere")).isEqualTo(1);
    }

    @Test
    default void aGlobalResourceGivenWithAMeshIsStoredWithoutOne() {
        Resource<MeshSpec> given = mesh("demo");
        ResourceMeta m = given.meta();

        Resource<MeshSpec> stored = store().create(given.withMeta(
                new ResourceMeta("ignored", m.name(), 0, m.creationTime(), m.modificationTime())));

        assertThat(stored.mesh()).isEmpty();
        assertThat(stored.key()).isEqualTo(ResourceKey.global(ResourceTypes.MESH, "demo"));
        assertThat(store().get(ResourceTypes.MESH, "", "demo")).hasValue(stored);

        Resource<MeshSpec> updated = store().update(stored.withMeta(
                new ResourceMeta("ignored", m.name(), 1, m.creationTime(), m.modificationTime())));
        assertThat(updated.mesh()).isEmpty();
        assertThat(updated.meta().version()).isEqualTo(2);
    }

    @Test
    default void aMeshScopedResourceNamedLikeAMeshIsNotAMesh() {
        store().create(mesh("web"));
        store().create(note("web", "web", "x"));

        store().delete(key(NOTE, "web", "web"));

        assertThat(store().get(ResourceTypes.MESH, "", "web")).isPresent();
    }
}
