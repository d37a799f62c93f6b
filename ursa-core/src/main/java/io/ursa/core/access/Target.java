package io.ursa.core.access;

import static java.util.Objects.requireNonNull;

import io.ursa.api.resource.ResourceType;
import io.ursa.api.resource.ResourceTypes;

/**
 * What an action is on, as rules see it: a type name, the mesh the rules match against, and a name (empty: every
 * resource of the type in that mesh). The mesh of a Mesh is its own name; a global type has no mesh; an empty mesh
 * of a mesh-scoped type means every mesh.
 */
record Target(String type, String mesh, String name) {
    Target {
        requireNonNull(type, "type");
        requireNonNull(mesh, "mesh");
        requireNonNull(name, "name");
    }

    static Target of(ResourceType<?> type, String mesh, String name) {
        requireNonNull(type, "type");
        requireNonNull(mesh, "mesh");
        requireNonNull(name, "name");
        String ruleMesh = type == ResourceTypes.MESH ? name : type.isMeshScoped() ? mesh : "";
        return new Target(type.name(), ruleMesh, name);
    }
}
