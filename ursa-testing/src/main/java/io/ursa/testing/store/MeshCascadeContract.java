package io.ursa.testing.store;

import static io.ursa.testing.store.Fixtures.CASCADE_TYPES;
import static io.ursa.testing.store.Fixtures.mesh;
import static io.ursa.testing.store.Fixtures.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.store.ListQuery;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Contract: deleting a Mesh deletes every mesh-scoped resource of that mesh and nothing else. */
interface MeshCascadeContract extends ContractStore {

    /** Creates the mesh and two resources of every cascade type in it; returns the keys of the children. */
    private List<ResourceKey> meshWithChildren(String meshName) {
        store().create(mesh(meshName));
        return CASCADE_TYPES.stream()
                .flatMap(type -> List.of("one", "two").stream()
                        .map(name -> store().create(resource(type, meshName, name)).key()))
                .toList();
    }

    @Test
    default void deletingAMeshDeletesEveryResourceOfThatMesh() {
        meshWithChildren("doomed");

        store().delete(ResourceKey.global(ResourceTypes.MESH, "doomed"));

        assertThat(store().get(ResourceTypes.MESH, "", "doomed")).isEmpty();
        for (ResourceType<?> type : CASCADE_TYPES) {
            assertThat(store().count(type, "doomed")).as(type.name()).isZero();
            assertThat(store().list(type, ListQuery.inMesh("doomed")).items()).as(type.name()).isEmpty();
        }
    }

    @Test
    default void deletingAMeshLeavesOtherMeshesAndGlobalResourcesAlone() {
        meshWithChildren("doomed");
        List<ResourceKey> survivors = meshWithChildren("doomed-not");
        Resource<MeshSpec> otherMesh = store().get(ResourceTypes.MESH, "", "doomed-not").orElseThrow();

        store().delete(ResourceKey.global(ResourceTypes.MESH, "doomed"));

        assertThat(store().list(ResourceTypes.MESH, ListQuery.all()).items()).containsExactly(otherMesh);
        for (ResourceKey key : survivors) {
            assertThat(store().get(key.type(), key.mesh(), key.name())).as(key.toString()).isPresent();
        }
    }

    @Test
    default void aMeshCreatedAgainAfterDeletionStartsEmpty() {
        meshWithChildren("phoenix");
        store().delete(ResourceKey.global(ResourceTypes.MESH, "phoenix"));

        store().create(mesh("phoenix"));

        for (ResourceType<?> type : CASCADE_TYPES) {
            assertThat(store().count(type, "phoenix")).as(type.name()).isZero();
        }
    }

    @Test
    default void deletingAMeshWithoutResourcesDeletesJustTheMesh() {
        store().create(mesh("lonely"));
        meshWithChildren("busy");

        store().delete(ResourceKey.global(ResourceTypes.MESH, "lonely"));

        assertThat(store().get(ResourceTypes.MESH, "", "lonely")).isEmpty();
        assertThat(store().count(ResourceTypes.DATAPLANE, "")).isEqualTo(2);
    }
}
