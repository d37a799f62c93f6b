package io.ursa.core.manager;

import static java.util.Objects.requireNonNull;

/** A mesh-scoped resource names a mesh that does not exist. REST: 400 "Mesh is not found". */
public final class MeshNotFoundException extends RuntimeException {
    private final String mesh;

    public MeshNotFoundException(String mesh) {
        super("mesh of name " + mesh + " is not found");
        this.mesh = requireNonNull(mesh, "mesh");
    }

    public String mesh() {
        return mesh;
    }
}
