package io.ursa.store.jdbc;

import io.ursa.api.resource.Resource;
import io.ursa.api.resource.ResourceKey;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.resource.Spec;
import io.ursa.core.event.ChangeListener;
import io.ursa.core.event.ResourceChange;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The resources a store decoded last, each with the row it was decoded from, so that reading a row that did not
 * change hands out the same (immutable) resource instance instead of parsing its JSON again. The xDS reconciler
 * reads every resource of a mesh on every change of the mesh; with this, only the changed rows are decoded, and
 * what keys on resource instances downstream (the mesh content hash) finds the unchanged ones again.
 *
 * <p>A row is reused only when it is equal to the one read before (mesh, name, version, times and spec text), so a
 * stale entry is never handed out, whoever wrote the row (this control plane or another one of a shared
 * database). Entries go when their resource is deleted, when a complete listing of their type and mesh no longer
 * has them, and all of them on a resync. Thread-safe; a racing reader may decode a row twice, and then either
 * result is kept (both are equal).
 */
final class DecodedResources implements ChangeListener {
    private record Group(String type, String mesh) {
    }

    private record Decoded(ResourceTable.Row row, Resource<?> resource) {
    }

    private final Map<Group, Map<String, Decoded>> groups = new ConcurrentHashMap<>();

    /** The resource of {@code row} of type {@code type}: the one decoded before from an equal row, else decoded. */
    @SuppressWarnings("unchecked")
    <S extends Spec> Resource<S> of(String type, ResourceTable.Row row, Supplier<Resource<S>> decode) {
        Map<String, Decoded> group = groups.computeIfAbsent(new Group(type, row.mesh()),
                g -> new ConcurrentHashMap<>());
        Decoded known = group.get(row.name());
        if (known != null && known.row().equals(row)) {
            return (Resource<S>) known.resource();
        }
        Resource<S> resource = decode.get();
        group.put(row.name(), new Decoded(row, resource));
        return resource;
    }

    /**
     * A listing found exactly {@code names} of {@code type} in {@code mesh} ("" for a global type): the others
     * were deleted.
     */
    void listedAll(String type, String mesh, Set<String> names) {
        Map<String, Decoded> group = groups.get(new Group(type, mesh));
        if (group != null) {
            group.keySet().retainAll(names);
        }
    }

    @Override
    public void onChange(ResourceChange change) {
        if (change.kind() != ResourceChange.Kind.DELETED) {
            return; // the next read finds a different row
        }
        ResourceKey key = change.key();
        Map<String, Decoded> group = groups.get(new Group(key.type().name(), key.mesh()));
        if (group != null) {
            group.remove(key.name());
        }
        if (key.type() == ResourceTypes.MESH) {
            groups.keySet().removeIf(g -> g.mesh().equals(key.name()));
        }
    }

    @Override
    public void onResync() {
        groups.clear();
    }

    /** How many resources are kept. */
    int size() {
        return groups.values().stream().mapToInt(Map::size).sum();
    }
}
