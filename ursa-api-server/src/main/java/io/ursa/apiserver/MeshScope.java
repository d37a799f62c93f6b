package io.ursa.apiserver;

import io.javalin.http.Context;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.core.manager.MeshNotFoundException;
import io.ursa.core.manager.ResourceManager;

/** Which mesh a request is about: the {@code {mesh}} of its path, which must exist, or every mesh (empty). */
@FunctionalInterface
interface MeshScope {
    String resolve(Context ctx);

    static MeshScope allMeshes() {
        return ctx -> "";
    }

    /** The path's mesh; one that does not exist is a 400 "Mesh is not found", also for reads. */
    static MeshScope fromPath(ResourceManager manager) {
        return ctx -> {
            String mesh = ctx.pathParam("mesh");
            if (manager.get(ResourceTypes.MESH, "", mesh).isEmpty()) {
                throw new MeshNotFoundException(mesh);
            }
            return mesh;
        };
    }
}
