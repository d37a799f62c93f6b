package io.ursa.core.manager;

import io.ursa.api.codec.ResourceCodec;
import io.ursa.api.mesh.MeshSpec;
import io.ursa.api.resource.ResourceTypes;
import io.ursa.api.validation.Path;

/** The mesh {@code default} a fresh control plane creates (spec §4.1), with an empty spec. */
public final class DefaultMesh {
    public static final String NAME = "default";

    private DefaultMesh() {
    }

    /** Creates mesh {@code default} through the full create pipeline unless it exists; true if it created it. */
    public static boolean ensure(ResourceManager manager, ResourceCodec codec) {
        MeshSpec empty = codec.decodeSpec(ResourceTypes.MESH, codec.parseJson("{}"), Path.root());
        return manager.createIfAbsent(ResourceTypes.MESH, "", NAME, empty);
    }
}
