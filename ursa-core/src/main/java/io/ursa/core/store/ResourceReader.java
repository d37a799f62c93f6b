package io.ursa.core.store;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.Spec;
import java.util.Optional;

/**
 * The reads of a {@link ResourceStore}. The store itself is a reader that sees the latest committed state at each
 * call; the reader that {@link ResourceStore#snapshot} hands out sees one committed state for all its calls.
 */
public interface ResourceReader {

    <S extends Spec> Optional<Resource<S>> get(ResourceType<S> type, String mesh, String name);

    /** Matching resources ordered by (mesh, name), sliced by the query's offset and limit. */
    <S extends Spec> ResourcePage<S> list(ResourceType<S> type, ListQuery query);

    /** How many resources of {@code type} are in {@code mesh} (empty = all meshes). */
    long count(ResourceType<?> type, String mesh);
}
