package io.ursa.api.resource;

import static java.util.Objects.requireNonNull;

/** The store key of a resource: (type, mesh, name). {@code mesh} is empty for global-scoped types. */
public record ResourceKey(ResourceType<?> type, String mesh, String name) {
    public ResourceKey {
        requireNonNull(type, "type");
        requireNonNull(mesh, "mesh");
        requireNonNull(name, "name");
        if (type.scope() == Scope.GLOBAL && !mesh.isEmpty()) {
            throw new IllegalArgumentException("global type " + type.name() + " has no mesh, got: " + mesh);
        }
    }

    public static ResourceKey global(ResourceType<?> type, String name) {
        return new ResourceKey(type, "", name);
    }

    @Override
    public String toString() {
        return mesh.isEmpty() ? type.name() + " " + name : type.name() + " " + mesh + "/" + name;
    }
}
